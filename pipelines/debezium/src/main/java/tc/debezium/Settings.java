package tc.debezium;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The --config properties file (tc.* keys, plus debezium.* pass-through keys). */
final class Settings {
    static final String ENGINE_NAME = "tc-debezium";
    static final String TOPIC_PREFIX = "tc";

    final Path dir;
    final String sourceHost;
    final int sourcePort;
    final String sourceUser;
    final String sourcePassword;
    final String sourceDatabase;
    final List<String> tables;
    final String destUrl;
    final String destUser;
    final String destPassword;
    final boolean append;
    final String snapshotMode;
    final long offsetFlushMs;
    final long serverId;
    final boolean autoRestart;
    final long retryWindowMs;
    final long retryEveryMs;
    final int httpPort;
    final Properties passThrough = new Properties();

    private Settings(Properties p) {
        dir = Path.of(req(p, "tc.dir")).toAbsolutePath();
        sourceHost = p.getProperty("tc.source.host", "127.0.0.1").trim();
        sourcePort = Integer.parseInt(req(p, "tc.source.port"));
        sourceUser = p.getProperty("tc.source.user", "hevo").trim();
        sourcePassword = p.getProperty("tc.source.password", "");
        sourceDatabase = p.getProperty("tc.source.database", "testdb").trim();
        tables = new ArrayList<>();
        for (String t : p.getProperty("tc.tables", "").split(",")) {
            if (!t.isBlank()) {
                tables.add(t.trim());
            }
        }
        destUrl = req(p, "tc.dest.url");
        destUser = p.getProperty("tc.dest.user", "root").trim();
        destPassword = p.getProperty("tc.dest.password", "");
        String mode = p.getProperty("tc.sink.mode", "upsert").trim();
        if (!mode.equals("upsert") && !mode.equals("append")) {
            throw new IllegalArgumentException("tc.sink.mode must be upsert or append, not '" + mode + "'");
        }
        append = mode.equals("append");
        snapshotMode = p.getProperty("tc.snapshot.mode", "initial").trim();
        offsetFlushMs = Long.parseLong(p.getProperty("tc.offset.flush.ms", "1000").trim());
        serverId = Long.parseLong(p.getProperty("tc.server.id", "5401").trim());
        autoRestart = Boolean.parseBoolean(p.getProperty("tc.auto.restart", "false").trim());
        retryWindowMs = Long.parseLong(p.getProperty("tc.retry.window.ms", "300000").trim());
        retryEveryMs = Math.max(100, Long.parseLong(p.getProperty("tc.retry.every.ms", "3000").trim()));
        httpPort = Integer.parseInt(p.getProperty("tc.http.port", "0").trim());
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("debezium.") && k.length() > "debezium.".length()) {
                passThrough.setProperty(k.substring("debezium.".length()), p.getProperty(k));
            }
        }
    }

    static Settings load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new Settings(p);
    }

    private static String req(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing required setting " + key);
        }
        return v.trim();
    }

    String sinkMode() {
        return append ? "append" : "upsert";
    }

    Path offsetsFile() {
        return dir.resolve("offsets.dat");
    }

    Path historyFile() {
        return dir.resolve("schema-history.dat");
    }

    /** The tables to capture as db.table; empty means every table of the source database. */
    List<String> tableList() {
        return tables;
    }

    /** The embedded engine's properties: the defaults of tc-run, then the user's debezium.* keys on top. */
    Properties engineProperties() {
        Properties e = new Properties();
        e.setProperty("name", ENGINE_NAME);
        e.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        e.setProperty("topic.prefix", TOPIC_PREFIX);
        e.setProperty("tasks.max", "1");

        e.setProperty("database.hostname", sourceHost);
        e.setProperty("database.port", Integer.toString(sourcePort));
        e.setProperty("database.user", sourceUser);
        e.setProperty("database.password", sourcePassword);
        e.setProperty("database.server.id", Long.toString(serverId));
        e.setProperty("database.ssl.mode", "disable");
        e.setProperty("database.include.list", sourceDatabase);
        if (!tables.isEmpty()) {
            e.setProperty("table.include.list", String.join(",", tables));
        }

        e.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        e.setProperty("offset.storage.file.filename", offsetsFile().toString());
        e.setProperty("offset.flush.interval.ms", Long.toString(offsetFlushMs));
        e.setProperty("offset.flush.timeout.ms", "10000");
        e.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        e.setProperty("schema.history.internal.file.filename", historyFile().toString());
        // Only the captured tables' DDL in the history: the user has no SHOW DATABASES and need not see others.
        e.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");

        e.setProperty("snapshot.mode", snapshotMode);
        // minimal: FLUSH TABLES WITH READ LOCK (RELOAD grant) only while the binlog position is read,
        // then a consistent-snapshot transaction; no LOCK TABLES needed.
        e.setProperty("snapshot.locking.mode", "minimal");

        // Noticing a dead or silent source connection (see docs/debezium-notes.md):
        // the binlog client's keep-alive thread wakes every interval; the server is asked for a
        // replication heartbeat every 0.8 x interval, so no byte for one interval means the link is dead.
        e.setProperty("connect.keep.alive", "true");
        e.setProperty("connect.keep.alive.interval.ms", "5000");
        e.setProperty("connect.timeout.ms", "10000");
        e.setProperty("heartbeat.interval.ms", "2000");
        e.setProperty("binlog.net.read.timeout", "30");
        e.setProperty("binlog.net.write.timeout", "30");
        e.setProperty("database.connect.timeout.ms", "10000"); // the JDBC URL's connectTimeout (default 30 s)
        e.setProperty("database.socketTimeout", "60000");

        // Values the sink can turn back into exactly the source's SQL values.
        e.setProperty("decimal.handling.mode", "precise");
        e.setProperty("bigint.unsigned.handling.mode", "precise");
        e.setProperty("time.precision.mode", "adaptive_time_microseconds");
        e.setProperty("binary.handling.mode", "bytes");
        e.setProperty("tombstones.on.delete", "false");
        // schema change records let the sink follow ALTER TABLE on the source; TRUNCATE is applied too
        e.setProperty("include.schema.changes", "true");
        e.setProperty("skipped.operations", "none");
        e.setProperty("event.processing.failure.handling.mode", "fail");

        e.setProperty("max.batch.size", "2048");
        e.setProperty("max.queue.size", "8192");
        e.setProperty("poll.interval.ms", "100");
        e.setProperty("errors.max.retries", "0");

        for (String k : passThrough.stringPropertyNames()) {
            e.setProperty(k, passThrough.getProperty(k));
        }
        return e;
    }
}
