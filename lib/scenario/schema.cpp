#include "scenario/schema.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace tc::scenario {

namespace {

// Everything of the format that is not a step type or a target name: the top level, the step options, and the
// shared definitions the generated parts refer to.
constexpr const char* kBase = R"json({
 "$defs": {
  "capture": {
   "anyOf": [
    {
     "$ref": "#/$defs/variableName"
    },
    {
     "additionalProperties": {
      "anyOf": [
       {
        "$ref": "#/$defs/outputPath"
       },
       {
        "$ref": "#/$defs/pathWithDefault"
       }
      ]
     },
     "minProperties": 1,
     "propertyNames": {
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
     },
     "type": "object"
    }
   ]
  },
  "connectionName": {
   "anyOf": [
    {
     "$ref": "#/$defs/identifier"
    },
    {
     "$ref": "#/$defs/interpolated"
    }
   ],
   "description": "source, destination or a name under connections:"
  },
  "dsn": {
   "description": "mysql://user:pass@host:port/db (may hold ${env:...})",
   "pattern": "^mysql://|\\$\\{",
   "type": "string"
  },
  "duration": {
   "anyOf": [
    {
     "minimum": 0,
     "type": "number"
    },
    {
     "pattern": "^(?:[0-9]+(?:\\.[0-9]+)?|(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|min|m|h))+)$",
     "type": "string"
    }
   ],
   "description": "250ms, 30s, 5m, 1h, 1m30s, 1.5s, or a number of seconds."
  },
  "durationOrInterpolated": {
   "anyOf": [
    {
     "$ref": "#/$defs/duration"
    },
    {
     "$ref": "#/$defs/interpolated"
    }
   ]
  },
  "expect": {
   "anyOf": [
    {
     "$ref": "#/$defs/scalar"
    },
    {
     "additionalProperties": {
      "anyOf": [
       {
        "type": [
         "string",
         "number",
         "boolean",
         "null"
        ]
       },
       {
        "$ref": "#/$defs/operator"
       }
      ]
     },
     "minProperties": 1,
     "propertyNames": {
      "allOf": [
       {
        "pattern": "^[^.\\s]+(\\.[^.\\s]+)*$"
       },
       {
        "not": {
         "enum": [
          "equals",
          "not_equals",
          "less_than",
          "greater_than",
          "at_most",
          "at_least",
          "between",
          "contains",
          "not_contains",
          "matches",
          "in"
         ]
        }
       }
      ]
     },
     "type": "object"
    }
   ],
   "description": "A value (the primary output equals it) or a map output-path -> value or {operator: operand}."
  },
  "identifier": {
   "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$",
   "type": "string"
  },
  "intOrInterpolated": {
   "anyOf": [
    {
     "maximum": 1000000000,
     "minimum": 0,
     "type": "integer"
    },
    {
     "$ref": "#/$defs/interpolated"
    }
   ]
  },
  "interpolated": {
   "description": "A string holding ${...}: its value is known at run time.",
   "pattern": "\\$\\{",
   "type": "string"
  },
  "keyColumns": {
   "anyOf": [
    {
     "$ref": "#/$defs/nonEmptyString"
    },
    {
     "$ref": "#/$defs/stringList"
    }
   ]
  },
  "matrixValue": {
   "anyOf": [
    {
     "$ref": "#/$defs/scalar"
    },
    {
     "properties": {
      "name": {
       "type": [
        "string",
        "number"
       ]
      }
     },
     "required": [
      "name"
     ],
     "type": "object"
    }
   ]
  },
  "nonEmptyString": {
   "minLength": 1,
   "type": "string"
  },
  "observe": {
   "anyOf": [
    {
     "minLength": 1,
     "type": "string"
    },
    {
     "additionalProperties": {
      "anyOf": [
       {
        "$ref": "#/$defs/outputPath"
       },
       {
        "$ref": "#/$defs/pathWithDefault"
       }
      ]
     },
     "minProperties": 1,
     "type": "object"
    }
   ]
  },
  "operator": {
   "additionalProperties": false,
   "anyOf": [
    {
     "maxProperties": 1,
     "not": {
      "required": [
       "default"
      ]
     }
    },
    {
     "minProperties": 2,
     "required": [
      "default"
     ]
    }
   ],
   "description": "One assertion: {operator: operand}, optionally with default: the value compared when the path is absent.",
   "maxProperties": 2,
   "minProperties": 1,
   "properties": {
    "default": {
     "type": [
      "string",
      "number",
      "boolean",
      "null"
     ]
    },
    "at_least": {
     "type": [
      "number",
      "string"
     ]
    },
    "at_most": {
     "type": [
      "number",
      "string"
     ]
    },
    "between": {
     "items": {
      "type": [
       "number",
       "string"
      ]
     },
     "maxItems": 2,
     "minItems": 2,
     "type": "array"
    },
    "contains": {
     "$ref": "#/$defs/scalar"
    },
    "equals": {
     "type": [
      "string",
      "number",
      "boolean",
      "null"
     ]
    },
    "greater_than": {
     "type": [
      "number",
      "string"
     ]
    },
    "in": {
     "items": {
      "type": [
       "string",
       "number",
       "boolean",
       "null"
      ]
     },
     "minItems": 1,
     "type": "array"
    },
    "less_than": {
     "type": [
      "number",
      "string"
     ]
    },
    "matches": {
     "description": "ECMAScript regular expression",
     "type": "string"
    },
    "not_contains": {
     "$ref": "#/$defs/scalar"
    },
    "not_equals": {
     "type": [
      "string",
      "number",
      "boolean",
      "null"
     ]
    }
   },
   "type": "object"
  },
  "outputPath": {
   "description": "value, exit_code, row.n, rows.0.id",
   "pattern": "^[^.\\s]+(\\.[^.\\s]+)*$",
   "type": "string"
  },
  "pathWithDefault": {
   "additionalProperties": false,
   "description": "{path: PATH, default: VALUE}: the value taken (and marked so) when the step gives no such path",
   "properties": {
    "default": {
     "type": [
      "string",
      "number",
      "boolean",
      "null"
     ]
    },
    "path": {
     "$ref": "#/$defs/outputPath"
    }
   },
   "required": [
    "path",
    "default"
   ],
   "type": "object"
  },
  "retry": {
   "anyOf": [
    {
     "maximum": 1000,
     "minimum": 0,
     "type": "integer"
    },
    {
     "additionalProperties": false,
     "properties": {
      "count": {
       "maximum": 1000,
       "minimum": 0,
       "type": "integer"
      },
      "delay": {
       "$ref": "#/$defs/duration"
      }
     },
     "required": [
      "count"
     ],
     "type": "object"
    }
   ]
  },
  "scalar": {
   "type": [
    "string",
    "number",
    "boolean"
   ]
  },
  "scalarMap": {
   "additionalProperties": {
    "$ref": "#/$defs/scalar"
   },
   "type": "object"
  },
  "step": {
   "additionalProperties": false,
   "description": "Exactly one action key (the step type) plus common options.",
   "properties": {
    "background": {
     "type": "boolean"
    },
    "capture": {
     "$ref": "#/$defs/capture"
    },
    "continue_on_failure": {
     "type": "boolean"
    },
    "expect": {
     "$ref": "#/$defs/expect"
    },
    "id": {
     "$ref": "#/$defs/identifier"
    },
    "name": {
     "$ref": "#/$defs/nonEmptyString"
    },
    "observe": {
     "$ref": "#/$defs/observe"
    },
    "retry": {
     "$ref": "#/$defs/retry"
    },
    "timeout": {
     "$ref": "#/$defs/duration"
    },
    "when": {
     "$ref": "#/$defs/when"
    }
   },
   "type": "object"
  },
  "steps": {
   "items": {
    "$ref": "#/$defs/step"
   },
   "type": "array"
  },
  "stringList": {
   "items": {
    "$ref": "#/$defs/nonEmptyString"
   },
   "type": "array"
  },
  "variableName": {
   "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
   "type": "string"
  },
  "when": {
   "anyOf": [
    {
     "pattern": "\\S",
     "type": "string"
    },
    {
     "type": "boolean"
    },
    {
     "type": "number"
    }
   ]
  }
 },
 "$id": "https://tc-run.local/schemas/scenario.schema.json",
 "$schema": "https://json-schema.org/draft/2020-12/schema",
 "additionalProperties": false,
 "description": "One test case as YAML. See docs/scenario-format.md.",
 "properties": {
  "allow_destructive": {
   "description": "server_uuid or hostname (or hostname:port) of non-sandbox servers that destructive faults (service stop, binlog corruption, GTID gap, schema-change) may touch",
   "items": {
    "minLength": 1,
    "type": "string"
   },
   "type": "array"
  },
  "author": {
   "type": "string"
  },
  "category": {
   "type": "string"
  },
  "checks": {
   "$ref": "#/$defs/steps"
  },
  "cleanup": {
   "$ref": "#/$defs/steps"
  },
  "connections": {
   "additionalProperties": {
    "anyOf": [
     {
      "$ref": "#/$defs/dsn"
     },
     {
      "additionalProperties": false,
      "properties": {
       "dsn": {
        "$ref": "#/$defs/dsn"
       }
      },
      "required": [
       "dsn"
      ],
      "type": "object"
     }
    ]
   },
   "propertyNames": {
    "not": {
     "enum": [
      "source",
      "destination"
     ]
    },
    "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
   },
   "type": "object"
  },
  "created": {
   "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
   "type": "string"
  },
  "description": {
   "type": "string"
  },
  "etl_tools": {
   "$ref": "#/$defs/stringList"
  },
  "id": {
   "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
   "type": "string"
  },
  "matrix": {
   "additionalProperties": {
    "items": {
     "$ref": "#/$defs/matrixValue"
    },
    "minItems": 1,
    "type": "array"
   },
   "minProperties": 1,
   "propertyNames": {
    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
   },
   "type": "object"
  },
  "notes": {
   "type": "string"
  },
  "preconditions": {
   "$ref": "#/$defs/steps"
  },
  "secrets": {
   "$ref": "#/$defs/stringList"
  },
  "severity": {
   "enum": [
    "Critical",
    "High",
    "Medium",
    "Low"
   ]
  },
  "source": {
   "pattern": "^sandbox$|^mysql://|\\$\\{",
   "type": "string"
  },
  "steps": {
   "items": {
    "$ref": "#/$defs/step"
   },
   "minItems": 1,
   "type": "array"
  },
  "tags": {
   "$ref": "#/$defs/stringList"
  },
  "target": {
   "anyOf": [
    {
     "enum": []
    },
    {
     "properties": {
      "type": {
       "enum": []
      }
     },
     "required": [
      "type"
     ],
     "type": "object"
    }
   ]
  },
  "title": {
   "$ref": "#/$defs/nonEmptyString"
  },
  "vars": {
   "propertyNames": {
    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
   },
   "type": "object"
  }
 },
 "required": [
  "id",
  "title",
  "steps"
 ],
 "title": "tc-run scenario",
 "type": "object"
})json";

Json ref(const std::string& def) {
  return {{"$ref", "#/$defs/" + def}};
}

// A value that may also be a ${...} reference (resolved at run time).
Json or_interpolated(Json schema) {
  return {{"anyOf", Json::array({std::move(schema), ref("interpolated")})}};
}

Json kind_schema(ArgKind kind, const std::vector<std::string>& choices, long long min, long long max) {
  switch (kind) {
    case ArgKind::Text: return {{"type", "string"}};
    case ArgKind::NonEmptyText: return ref("nonEmptyString");
    case ArgKind::Int: return or_interpolated({{"type", "integer"}, {"minimum", min}, {"maximum", max}});
    case ArgKind::Duration: return ref("durationOrInterpolated");
    case ArgKind::Bool: return or_interpolated({{"type", "boolean"}});
    case ArgKind::TextList: return or_interpolated(ref("stringList"));
    case ArgKind::KeyColumns: return ref("keyColumns");
    case ArgKind::ScalarMap: return or_interpolated(ref("scalarMap"));
    case ArgKind::Choice: return or_interpolated({{"enum", choices}});
    case ArgKind::Connection: return ref("connectionName");
    case ArgKind::StepId: return {{"type", "string"}, {"pattern", "^[A-Za-z_][A-Za-z0-9_-]*$|\\$\\{"}};
    case ArgKind::Step: return ref("step");
    case ArgKind::Any: return Json::object();
  }
  return Json::object();
}

Json with_doc(Json schema, const std::string& doc) {
  if (doc.empty()) return schema;
  schema["description"] = doc;
  return schema;
}

Json step_schema(const StepDecl& d) {
  Json forms = Json::array();
  if (d.string_form.allowed) {
    const auto& sf = d.string_form;
    forms.push_back(kind_schema(sf.kind, sf.choices, 0, 1'000'000'000));
  }
  if (d.map_form) {
    Json props = Json::object();
    Json required = Json::array();
    for (const auto& f : d.fields) {
      std::string doc = f.doc;
      if (!f.default_text.empty()) doc += (doc.empty() ? "" : "; ") + std::string("default ") + f.default_text;
      props[f.name] = with_doc(kind_schema(f.kind, f.choices, f.min, f.max), doc);
      if (f.required) required.push_back(f.name);
    }
    Json map = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) map["required"] = required;
    forms.push_back(map);
    if (d.null_is_empty_map) forms.push_back({{"type", "null"}});
  }
  // No declared form: any argument (the plugin's validate() judges it).
  Json out = forms.empty() ? Json::object() : forms.size() == 1 ? forms[0] : Json{{"anyOf", forms}};
  return with_doc(out, d.summary);
}

}  // namespace

Json scenario_schema(const std::vector<StepDecl>& steps, const std::vector<std::string>& targets) {
  Json s = Json::parse(kBase);
  Json& step = s["$defs"]["step"];
  Json one_of = Json::array();
  Json all_of = Json::array();
  for (const auto& d : steps) {
    step["properties"][d.name] = step_schema(d);
    one_of.push_back({{"required", {d.name}}});
    // A self-timed step takes its timeout inside its own map, never as the step option.
    if (d.self_timed)
      all_of.push_back({{"if", {{"required", {d.name}}}}, {"then", {{"not", {{"required", {"timeout"}}}}}}});
  }
  step["oneOf"] = one_of;
  if (!all_of.empty()) step["allOf"] = all_of;
  Json& target = s["properties"]["target"]["anyOf"];
  target[0]["enum"] = targets;
  target[1]["properties"]["type"]["enum"] = targets;
  return s;
}

std::string scenario_schema_text(const std::vector<StepDecl>& steps, const std::vector<std::string>& targets) {
  return scenario_schema(steps, targets).dump(2) + "\n";
}

namespace {

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string arg_type(ArgKind kind, const std::vector<std::string>& choices) {
  if (kind == ArgKind::Choice) {
    std::vector<std::string> quoted;
    for (const auto& c : choices) quoted.push_back("`" + c + "`");
    return join(quoted, ", ");
  }
  return kind_name(kind);
}

}  // namespace

std::string outputs_table(const std::vector<OutputDecl>& outputs) {
  std::string out = "| output | type | meaning |\n|---|---|---|\n";
  for (const auto& o : outputs)
    out += fmt::format("| `{}` | {} | {} |\n", o.name, output_type_name(o.type), md_cell(o.doc));
  return out;
}

std::string step_reference(const std::vector<StepDecl>& steps) {
  std::string out;
  for (const auto& d : steps) {
    out += fmt::format("#### {}{}\n{}.\n\n", d.name, d.is_check ? " (check)" : "", d.summary);
    std::vector<std::string> forms;
    if (d.string_form.allowed)
      forms.push_back(fmt::format("`{}: <{}>` ({})", d.name, arg_type(d.string_form.kind, d.string_form.choices),
                                  d.string_form.doc));
    if (d.map_form) forms.push_back(fmt::format("`{}: {{...}}` with the keys below", d.name));
    if (d.null_is_empty_map) forms.push_back(fmt::format("`{}:` alone (all defaults)", d.name));
    out += "Forms: " + (forms.empty() ? std::string("any argument") : join(forms, "; ")) + ".\n\n";
    if (!d.fields.empty()) {
      out += "| key | type | required | default | meaning |\n|---|---|---|---|---|\n";
      for (const auto& f : d.fields)
        out += fmt::format("| `{}` | {} | {} | {} | {} |\n", f.name, md_cell(arg_type(f.kind, f.choices)),
                           f.required ? "yes" : "", md_cell(f.default_text), md_cell(f.doc));
      out += "\n";
    }
    auto outs = d.outputs;
    outs.push_back({"elapsed", OutputType::Millis, "how long the step took (every step has it)"});
    out += outputs_table(outs);
    if (d.open_outputs) out += "\nMore outputs depend on the action (checked when the step runs).\n";
    out += "\n";
  }
  return out;
}

}  // namespace tc::scenario
