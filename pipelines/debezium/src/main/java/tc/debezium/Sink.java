package tc.debezium;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Debezium change events to the destination over one JDBC connection. A batch is committed
 * in the destination before its records are marked processed, so offsets only ever cover applied events.
 */
final class Sink implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(Sink.class);
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Settings settings;
    private final Path tablesFile;
    private Connection conn;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, TableInfo> tableInfo = new HashMap<>();
    /** Destination tables this sink has created or written (db.table of the source), persisted for /resync. */
    private final Set<String> knownTables = new TreeSet<>();

    volatile boolean stopping;
    volatile long eventsApplied;
    /** Records handed to the sink (any kind): the engine's progress. */
    volatile long recordsSeen;
    volatile Map<String, Object> lastAppliedOffsets;
    volatile long lastEventTsMs = -1;
    volatile long lastAppliedAtMs = -1;
    volatile long lastHeartbeatMs = -1;
    volatile long heartbeats;
    volatile String lastError = "";
    volatile int lastErrno;
    /** Source tables that have had a streaming (non-snapshot) event, as db.table. */
    final Set<String> streamedTables = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Set<String> seenTables = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Sink(Settings settings) {
        this.settings = settings;
        this.tablesFile = settings.dir.resolve("tables.dat");
        try {
            if (Files.exists(tablesFile)) {
                for (String l : Files.readAllLines(tablesFile, StandardCharsets.UTF_8)) {
                    if (!l.isBlank()) {
                        knownTables.add(l.trim());
                    }
                }
            }
        }
        catch (Exception e) {
            LOG.warn("cannot read {}: {}", tablesFile, e.toString());
        }
    }

    private static final class TableInfo {
        final String dest;
        final Set<String> columns = new LinkedHashSet<>();
        /** Event fields that neither the destination nor the source's current DDL has (dropped since). */
        final Set<String> unknown = new java.util.HashSet<>();

        TableInfo(String dest) {
            this.dest = dest;
        }

        /** The fields that the destination table has (a column dropped on the source since is skipped). */
        List<Field> present(List<Field> fields) {
            List<Field> out = new ArrayList<>(fields.size());
            for (Field f : fields) {
                if (columns.contains(f.name().toLowerCase(Locale.ROOT))) {
                    out.add(f);
                }
            }
            return out;
        }
    }

    private static final class Op {
        final String sql;
        final List<Object> params;

        Op(String sql, List<Object> params) {
            this.sql = sql;
            this.params = params;
        }
    }

    /** A value that needs SQL around its placeholder. */
    private static final class Geometry {
        final byte[] wkb;
        final int srid;

        Geometry(byte[] wkb, int srid) {
            this.wkb = wkb;
            this.srid = srid;
        }
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        recordsSeen += records.size();
        int attempt = 0;
        while (true) {
            if (stopping) {
                throw new InterruptedException("engine stopping");
            }
            try {
                int applied = applyBatch(records);
                eventsApplied += applied;
                if (!lastError.isEmpty() && applied > 0) {
                    lastError = "";
                    lastErrno = 0;
                }
                break;
            }
            catch (SQLException e) {
                attempt++;
                rollbackQuietly();
                lastError = "sink: " + Main.describe(null, e);
                lastErrno = e.getErrorCode();
                boolean connection = isConnectionProblem(e);
                LOG.warn("destination write failed (attempt {}, {}): {}", attempt,
                        connection ? "connection problem, will reconnect" : "statement error", Main.describe(null, e));
                closeQuietly();
                if (!connection && attempt >= 3) {
                    throw new org.apache.kafka.connect.errors.ConnectException(
                            "sink could not apply a batch to the destination: " + Main.describe(null, e), e);
                }
                Thread.sleep(Math.min(5000, 500L * attempt));
            }
        }
        for (RecordChangeEvent<SourceRecord> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
    }

    private static boolean isConnectionProblem(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && state.startsWith("08")) {
                    return true;
                }
                int code = ((SQLException) t).getErrorCode();
                // server shutdown in progress, lock wait timeout, deadlock, read-only, too many connections
                if (code == 1053 || code == 1205 || code == 1213 || code == 1290 || code == 1040 || code == 1927) {
                    return true;
                }
            }
        }
        return false;
    }

    private int applyBatch(List<RecordChangeEvent<SourceRecord>> records) throws SQLException {
        Connection c = connection();
        List<Op> ops = new ArrayList<>();
        Map<String, Object> lastOffsets = null;
        long lastTs = -1;
        int applied = 0;
        for (RecordChangeEvent<SourceRecord> ev : records) {
            SourceRecord rec = ev.record();
            if (rec == null || !(rec.value() instanceof Struct)) {
                continue; // tombstone
            }
            if (rec.topic() != null && rec.topic().startsWith("__debezium-heartbeat")) {
                heartbeats++;
                lastHeartbeatMs = System.currentTimeMillis(); // the connector has read everything up to now
                continue;
            }
            Struct value = (Struct) rec.value();
            Schema vs = value.schema();
            if (vs.name() != null && vs.name().endsWith(".SchemaChangeValue")) {
                schemaChange(c, value);
                continue;
            }
            if (vs.field("op") == null || vs.field("source") == null) {
                continue; // heartbeat, schema change or transaction record: nothing to apply
            }
            String op = value.getString("op");
            Struct source = value.getStruct("source");
            String db = source.getString("db");
            String table = source.getString("table");
            if (op == null || table == null) {
                continue;
            }
            String key = db + "." + table;
            Struct after = value.getStruct("after");
            Struct before = value.getStruct("before");
            boolean snapshot = isSnapshot(source);
            seenTables.add(key);
            if (!snapshot) {
                streamedTables.add(key);
            }
            Struct image = "d".equals(op) ? before : after;
            TableInfo ti = ensureTable(c, db, table, image != null ? image.schema() : null);
            switch (op) {
                case "c":
                case "r":
                case "u":
                    if (settings.append) {
                        ops.add(appendRow(ti, op, image, source));
                    }
                    else if ("u".equals(op) && rec.key() == null && before != null) {
                        ops.add(updateWithoutKey(ti, before, after));
                    }
                    else {
                        ops.add(upsert(ti, after));
                    }
                    break;
                case "d":
                    if (settings.append) {
                        ops.add(appendRow(ti, op, image, source));
                    }
                    else {
                        ops.add(delete(ti, rec.key() instanceof Struct ? (Struct) rec.key() : null, before));
                    }
                    break;
                case "t":
                    if (!settings.append) {
                        ops.add(new Op("TRUNCATE TABLE " + ti.dest, List.of()));
                    }
                    break;
                default:
                    continue;
            }
            applied++;
            lastOffsets = new LinkedHashMap<>();
            Map<String, ?> so = rec.sourceOffset();
            lastOffsets.put("file", so.get("file") != null ? so.get("file") : source.getString("file"));
            lastOffsets.put("pos", so.get("pos") != null ? so.get("pos") : source.getInt64("pos"));
            Object gtids = so.get("gtids");
            if (gtids == null && vs.field("source") != null && source.schema().field("gtid") != null) {
                gtids = source.getString("gtid");
            }
            lastOffsets.put("gtid", gtids == null ? "" : gtids);
            Long ts = source.getInt64("ts_ms");
            if (ts != null) {
                lastTs = ts;
            }
        }
        execute(c, ops);
        c.commit();
        if (lastOffsets != null) {
            lastAppliedOffsets = lastOffsets;
            lastEventTsMs = lastTs;
            lastAppliedAtMs = System.currentTimeMillis();
        }
        return applied;
    }

    private static boolean isSnapshot(Struct source) {
        if (source.schema().field("snapshot") == null) {
            return false;
        }
        Object s = source.get("snapshot");
        return s != null && !"false".equals(s.toString());
    }

    private void execute(Connection c, List<Op> ops) throws SQLException {
        int i = 0;
        while (i < ops.size()) {
            int j = i + 1;
            while (j < ops.size() && ops.get(j).sql.equals(ops.get(i).sql)) {
                j++;
            }
            Op first = ops.get(i);
            if (first.params.isEmpty()) {
                try (Statement st = c.createStatement()) {
                    st.execute(first.sql);
                }
            }
            else {
                PreparedStatement ps = statements.get(first.sql);
                if (ps == null) {
                    ps = c.prepareStatement(first.sql);
                    statements.put(first.sql, ps);
                }
                if (j - i == 1) {
                    bind(ps, first.params);
                    ps.executeUpdate();
                }
                else {
                    for (int k = i; k < j; k++) {
                        bind(ps, ops.get(k).params);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            i = j;
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int k = 0; k < params.size(); k++) {
            Object v = params.get(k);
            if (v instanceof byte[]) {
                ps.setBytes(k + 1, (byte[]) v);
            }
            else {
                ps.setObject(k + 1, v);
            }
        }
    }

    // ---- statements ----

    private Op upsert(TableInfo ti, Struct after) {
        List<Field> fields = ti.present(after.schema().fields());
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        StringBuilder upd = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Field f : fields) {
            String q = quote(f.name());
            if (cols.length() > 0) {
                cols.append(',');
                vals.append(',');
                upd.append(',');
            }
            cols.append(q);
            Object v = toSql(f.schema(), after.get(f));
            vals.append(placeholder(v));
            params.add(param(v));
            upd.append(q).append("=VALUES(").append(q).append(')');
        }
        String sql = "INSERT INTO " + ti.dest + " (" + cols + ") VALUES (" + vals + ") ON DUPLICATE KEY UPDATE " + upd;
        return new Op(sql, params);
    }

    private Op appendRow(TableInfo ti, String op, Struct image, Struct source) {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (image != null) {
            for (Field f : ti.present(image.schema().fields())) {
                if (cols.length() > 0) {
                    cols.append(',');
                    vals.append(',');
                }
                cols.append(quote(f.name()));
                Object v = toSql(f.schema(), image.get(f));
                vals.append(placeholder(v));
                params.add(param(v));
            }
        }
        if (cols.length() > 0) {
            cols.append(',');
            vals.append(',');
        }
        cols.append("`_op`,`_source_position`");
        vals.append("?,?");
        params.add(op);
        params.add(position(source));
        return new Op("INSERT INTO " + ti.dest + " (" + cols + ") VALUES (" + vals + ")", params);
    }

    /** "file:pos" of the event, "#row" when it is not the first row of its binlog event, then " gtid". */
    static String position(Struct source) {
        StringBuilder sb = new StringBuilder();
        sb.append(source.getString("file")).append(':').append(source.getInt64("pos"));
        if (source.schema().field("row") != null) {
            Integer row = source.getInt32("row");
            if (row != null && row > 0) {
                sb.append('#').append(row);
            }
        }
        if (source.schema().field("gtid") != null) {
            String g = source.getString("gtid");
            if (g != null && !g.isEmpty()) {
                sb.append(' ').append(g);
            }
        }
        return sb.length() > 255 ? sb.substring(0, 255) : sb.toString();
    }

    private Op delete(TableInfo ti, Struct key, Struct before) {
        Struct match = key != null ? key : before;
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Field f : ti.present(match.schema().fields())) {
            if (where.length() > 0) {
                where.append(" AND ");
            }
            Object v = toSql(f.schema(), match.get(f));
            where.append(quote(f.name())).append(" <=> ").append(placeholder(v));
            params.add(param(v));
        }
        return new Op("DELETE FROM " + ti.dest + " WHERE " + where + (key != null ? "" : " LIMIT 1"), params);
    }

    private Op updateWithoutKey(TableInfo ti, Struct before, Struct after) {
        StringBuilder set = new StringBuilder();
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Field f : ti.present(after.schema().fields())) {
            if (set.length() > 0) {
                set.append(',');
            }
            Object v = toSql(f.schema(), after.get(f));
            set.append(quote(f.name())).append('=').append(placeholder(v));
            params.add(param(v));
        }
        for (Field f : ti.present(before.schema().fields())) {
            if (where.length() > 0) {
                where.append(" AND ");
            }
            Object v = toSql(f.schema(), before.get(f));
            where.append(quote(f.name())).append(" <=> ").append(placeholder(v));
            params.add(param(v));
        }
        return new Op("UPDATE " + ti.dest + " SET " + set + " WHERE " + where + " LIMIT 1", params);
    }

    private static String placeholder(Object v) {
        if (v instanceof Geometry) {
            return "ST_GeomFromWKB(?," + ((Geometry) v).srid + ")";
        }
        return "?";
    }

    private static Object param(Object v) {
        return v instanceof Geometry ? ((Geometry) v).wkb : v;
    }

    static String quote(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    // ---- values: Debezium/Kafka Connect representation -> what MariaDB takes back as the same value ----

    static Object toSql(Schema schema, Object v) {
        if (v == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) v).longValue()).toString();
                case "io.debezium.time.Time":
                    return time(((Number) v).longValue() * 1000L);
                case "io.debezium.time.MicroTime":
                    return time(((Number) v).longValue());
                case "io.debezium.time.NanoTime":
                    return time(((Number) v).longValue() / 1000L);
                case "io.debezium.time.Timestamp":
                    return datetime(((Number) v).longValue() * 1000L);
                case "io.debezium.time.MicroTimestamp":
                    return datetime(((Number) v).longValue());
                case "io.debezium.time.NanoTimestamp":
                    return datetime(((Number) v).longValue() / 1000L);
                case "io.debezium.time.ZonedTimestamp":
                    // TIMESTAMP columns: an instant, written in the session time zone +00:00
                    return OffsetDateTime.parse(v.toString()).withOffsetSameInstant(ZoneOffset.UTC)
                            .toLocalDateTime().format(DATETIME);
                case "io.debezium.time.Year":
                    return ((Number) v).intValue();
                case "org.apache.kafka.connect.data.Date":
                    return LocalDate.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC).toString();
                case "org.apache.kafka.connect.data.Time":
                    return time(((java.util.Date) v).getTime() * 1000L);
                case "org.apache.kafka.connect.data.Timestamp":
                    return datetime(((java.util.Date) v).getTime() * 1000L);
                case "org.apache.kafka.connect.data.Decimal":
                    return v; // BigDecimal
                case "io.debezium.data.VariableScaleDecimal": {
                    Struct s = (Struct) v;
                    return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
                }
                case "io.debezium.data.Bits": {
                    byte[] b = bytes(v); // little-endian
                    long n = 0;
                    for (int i = b.length - 1; i >= 0; i--) {
                        n = (n << 8) | (b[i] & 0xff);
                    }
                    return n;
                }
                case "io.debezium.data.geometry.Geometry":
                case "io.debezium.data.geometry.Point":
                case "io.debezium.data.geometry.Geography": {
                    Struct s = (Struct) v;
                    Integer srid = s.schema().field("srid") != null ? s.getInt32("srid") : null;
                    return new Geometry(bytes(s.get("wkb")), srid == null ? 0 : srid);
                }
                default:
                    break;
            }
        }
        if (v instanceof ByteBuffer || v instanceof byte[]) {
            return bytes(v);
        }
        if (v instanceof Boolean && schema.type() == Schema.Type.BOOLEAN) {
            return ((Boolean) v) ? 1 : 0;
        }
        return v;
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[]) {
            return (byte[]) v;
        }
        ByteBuffer bb = ((ByteBuffer) v).duplicate();
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        return b;
    }

    private static String datetime(long micros) {
        long secs = Math.floorDiv(micros, 1_000_000L);
        long us = Math.floorMod(micros, 1_000_000L);
        return LocalDateTime.ofEpochSecond(secs, (int) (us * 1000), ZoneOffset.UTC).format(DATETIME);
    }

    private static String time(long micros) {
        boolean neg = micros < 0;
        long a = Math.abs(micros);
        long h = a / 3_600_000_000L;
        long m = (a / 60_000_000L) % 60;
        long s = (a / 1_000_000L) % 60;
        long us = a % 1_000_000L;
        return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%06d", neg ? "-" : "", h, m, s, us);
    }

    // ---- destination tables ----

    private String destName(String db, String table) {
        if (db == null || db.equalsIgnoreCase(settings.sourceDatabase)) {
            return quote(table);
        }
        return quote(db) + "." + quote(table);
    }

    private TableInfo ensureTable(Connection c, String db, String table, Schema image) throws SQLException {
        String key = db + "." + table;
        TableInfo ti = tableInfo.get(key);
        if (ti == null) {
            ti = new TableInfo(destName(db, table));
            loadColumns(c, ti, db, table);
            if (ti.columns.isEmpty()) {
                createTable(c, db, table, ti);
                loadColumns(c, ti, db, table);
            }
            tableInfo.put(key, ti);
            if (image != null) {
                StringBuilder sb = new StringBuilder();
                for (Field f : image.fields()) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(f.name()).append(':').append(f.schema().type())
                            .append(f.schema().name() == null ? "" : "/" + f.schema().name());
                }
                LOG.info("table {} -> destination {}; event columns: {}", key, ti.dest, sb);
            }
            if (knownTables.add(key)) {
                saveKnownTables();
            }
        }
        if (image != null) {
            List<String> missing = new ArrayList<>();
            for (Field f : image.fields()) {
                if (!ti.columns.contains(f.name().toLowerCase(Locale.ROOT))) {
                    missing.add(f.name());
                }
            }
            if (!missing.isEmpty() && !ti.unknown.containsAll(missing)) {
                syncColumns(c, db, table, ti);
                for (String m : missing) {
                    if (!ti.columns.contains(m.toLowerCase(Locale.ROOT))) {
                        ti.unknown.add(m);
                    }
                }
            }
        }
        return ti;
    }

    private void loadColumns(Connection c, TableInfo ti, String db, String table) throws SQLException {
        boolean own = db == null || db.equalsIgnoreCase(settings.sourceDatabase);
        String sql = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                + (own ? "DATABASE()" : "?") + " AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (!own) {
                ps.setString(i++, db);
            }
            ps.setString(i, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ti.columns.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    private String sourceCreateTable(String db, String table) throws SQLException {
        String url = "jdbc:mariadb://" + settings.sourceHost + ":" + settings.sourcePort + "/"
                + "?connectTimeout=10000&socketTimeout=30000";
        Properties p = new Properties();
        p.setProperty("user", settings.sourceUser);
        p.setProperty("password", settings.sourcePassword);
        try (Connection s = DriverManager.getConnection(url, p);
             Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + quote(db) + "." + quote(table))) {
            if (!rs.next()) {
                throw new SQLException("SHOW CREATE TABLE " + db + "." + table + " returned nothing");
            }
            return rs.getString(2);
        }
    }

    private static final Pattern AUTO_INC_OPTION = Pattern.compile("\\s*AUTO_INCREMENT=\\d+");
    private static final Pattern AUTO_INC_COLUMN = Pattern.compile("\\s+AUTO_INCREMENT\\b");

    /** The destination DDL made from the source's SHOW CREATE TABLE. */
    String destinationDdl(String sourceDdl, String dest) {
        String[] lines = sourceDdl.split("\n");
        List<String> defs = new ArrayList<>();
        String tail = ")";
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.startsWith(")")) {
                tail = AUTO_INC_OPTION.matcher(l).replaceAll("");
                // everything after this line belongs to the table options (e.g. partitioning)
                for (int k = i + 1; k < lines.length; k++) {
                    tail += "\n" + lines[k];
                }
                break;
            }
            if (l.endsWith(",")) {
                l = l.substring(0, l.length() - 1);
            }
            String u = l.toUpperCase(Locale.ROOT);
            if (u.contains("FOREIGN KEY")) {
                continue; // the sink writes table by table; parents may be missing or written later
            }
            if (settings.append) {
                if (l.startsWith("`")) {
                    l = AUTO_INC_COLUMN.matcher(l).replaceAll("");
                }
                else if (u.startsWith("PRIMARY KEY")) {
                    l = "KEY `_source_pk` " + l.substring("PRIMARY KEY".length()).trim();
                }
                else if (u.startsWith("UNIQUE KEY") || u.startsWith("UNIQUE INDEX")) {
                    l = "KEY " + l.substring(l.indexOf(' ', 7) + 1).trim();
                }
                else if (u.startsWith("UNIQUE ")) {
                    l = "KEY " + l.substring(7).trim();
                }
            }
            defs.add(l);
        }
        if (settings.append) {
            defs.add("`_seq` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY");
            defs.add("`_op` CHAR(1) NOT NULL");
            defs.add("`_source_position` VARCHAR(255)");
        }
        return "CREATE TABLE IF NOT EXISTS " + dest + " (\n  " + String.join(",\n  ", defs) + "\n" + tail;
    }

    private void createTable(Connection c, String db, String table, TableInfo ti) throws SQLException {
        String ddl = destinationDdl(sourceCreateTable(db, table), ti.dest);
        LOG.info("creating destination table {} ({} mode):\n{}", ti.dest, settings.sinkMode(), ddl);
        try (Statement st = c.createStatement()) {
            if (!ti.dest.startsWith(quote(table))) {
                st.execute("CREATE DATABASE IF NOT EXISTS " + quote(db));
            }
            st.execute(ddl);
        }
        c.commit();
    }

    /** The column definitions of a SHOW CREATE TABLE, in order. */
    private static LinkedHashMap<String, String> columnDefinitions(String ddl) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        String[] lines = ddl.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            if (!l.startsWith("`")) {
                continue;
            }
            int end = 1;
            while (end < l.length()) {
                if (l.charAt(end) == '`') {
                    if (end + 1 < l.length() && l.charAt(end + 1) == '`') {
                        end += 2;
                        continue;
                    }
                    break;
                }
                end++;
            }
            String name = l.substring(1, end).replace("``", "`");
            out.put(name, l.endsWith(",") ? l.substring(0, l.length() - 1) : l);
        }
        return out;
    }

    /**
     * Brings the destination table's columns in line with the source's current DDL: adds the columns it lacks
     * (at the source's position) and, in upsert mode, drops the columns the source no longer has.
     */
    private void syncColumns(Connection c, String db, String table, TableInfo ti) throws SQLException {
        LinkedHashMap<String, String> defs = columnDefinitions(sourceCreateTable(db, table));
        Set<String> dest = new LinkedHashSet<>(ti.columns);
        Set<String> sourceLower = new java.util.HashSet<>();
        String previous = null;
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, String> e : defs.entrySet()) {
                String lower = e.getKey().toLowerCase(Locale.ROOT);
                sourceLower.add(lower);
                if (!dest.contains(lower)) {
                    String def = e.getValue();
                    if (settings.append) {
                        def = AUTO_INC_COLUMN.matcher(def).replaceAll("");
                    }
                    String sql = "ALTER TABLE " + ti.dest + " ADD COLUMN " + def
                            + (previous == null ? " FIRST" : " AFTER " + quote(previous));
                    LOG.info("source table {}.{} has a new column: {}", db, table, sql);
                    st.execute(sql);
                    dest.add(lower);
                }
                previous = e.getKey();
            }
            if (!settings.append) {
                for (String col : dest) {
                    if (!sourceLower.contains(col)) {
                        String sql = "ALTER TABLE " + ti.dest + " DROP COLUMN " + quote(col);
                        LOG.info("source table {}.{} no longer has column {}: {}", db, table, col, sql);
                        st.execute(sql);
                    }
                }
            }
        }
        c.commit();
        ti.columns.clear();
        loadColumns(c, ti, db, table);
    }

    /** A schema change record (CREATE/ALTER of a captured table): the destination follows the source's DDL. */
    private void schemaChange(Connection c, Struct value) throws SQLException {
        Object changes = value.schema().field("tableChanges") != null ? value.get("tableChanges") : null;
        if (!(changes instanceof List)) {
            return;
        }
        for (Object o : (List<?>) changes) {
            if (!(o instanceof Struct)) {
                continue;
            }
            Struct tc = (Struct) o;
            String type = tc.getString("type");
            String id = tc.getString("id");
            if (id == null || type == null || "DROP".equals(type)) {
                continue; // a dropped source table keeps its destination table and rows
            }
            List<String> parts = new ArrayList<>();
            Matcher m = QUOTED_ID.matcher(id);
            while (m.find()) {
                parts.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            if (parts.size() < 2) {
                continue;
            }
            String db = parts.get(0);
            String table = parts.get(parts.size() - 1);
            TableInfo ti = ensureTable(c, db, table, null);
            syncColumns(c, db, table, ti);
        }
    }

    private static final Pattern QUOTED_ID = Pattern.compile("\"([^\"]*)\"|([^.\"]+)");

    private void saveKnownTables() {
        try {
            Path tmp = tablesFile.resolveSibling("tables.dat.tmp");
            Files.write(tmp, String.join("\n", knownTables).concat("\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, tablesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (Exception e) {
            LOG.warn("cannot write {}: {}", tablesFile, e.toString());
        }
    }

    /** /resync: drop the destination tables so that the new snapshot recreates them from the source's DDL. */
    synchronized void dropDestinationTables() throws SQLException {
        Set<String> all = new TreeSet<>(knownTables);
        all.addAll(settings.tableList());
        Connection c = connection();
        try (Statement st = c.createStatement()) {
            for (String t : all) {
                int dot = t.indexOf('.');
                String db = dot > 0 ? t.substring(0, dot) : settings.sourceDatabase;
                String name = dot > 0 ? t.substring(dot + 1) : t;
                String sql = "DROP TABLE IF EXISTS " + destName(db, name);
                LOG.info("resync: {}", sql);
                st.execute(sql);
            }
        }
        c.commit();
        tableInfo.clear();
        streamedTables.clear();
        eventsApplied = 0;
        lastAppliedOffsets = null;
        lastEventTsMs = -1;
        lastAppliedAtMs = -1;
    }

    // ---- connection ----

    private Connection connection() throws SQLException {
        if (conn != null) {
            try {
                if (!conn.isClosed()) {
                    return conn;
                }
            }
            catch (SQLException e) {
                // reconnect below
            }
            closeQuietly();
        }
        Properties p = new Properties();
        p.setProperty("user", settings.destUser);
        p.setProperty("password", settings.destPassword);
        p.setProperty("connectTimeout", "10000");
        p.setProperty("socketTimeout", "120000");
        Connection c = DriverManager.getConnection(settings.destUrl, p);
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
            st.execute("SET SESSION foreign_key_checks = 0");
        }
        c.setAutoCommit(false);
        conn = c;
        LOG.info("connected to the destination {}", settings.destUrl);
        return c;
    }

    private void rollbackQuietly() {
        try {
            if (conn != null) {
                conn.rollback();
            }
        }
        catch (Exception e) {
            // the connection is closed next
        }
    }

    synchronized void closeQuietly() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            }
            catch (Exception e) {
                // ignore
            }
        }
        statements.clear();
        tableInfo.clear();
        if (conn != null) {
            try {
                conn.close();
            }
            catch (Exception e) {
                // ignore
            }
            conn = null;
        }
    }

    static Instant instant(long ms) {
        return ms < 0 ? null : Instant.ofEpochMilli(ms);
    }
}
