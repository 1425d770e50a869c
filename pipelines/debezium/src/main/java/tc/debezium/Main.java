package tc.debezium;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tc-run's Debezium pipeline: the embedded Debezium engine with the MariaDB connector, a JDBC sink to the
 * destination, and a loopback HTTP API for status and control. See docs/debezium-notes.md.
 */
public final class Main {
    private static Logger log;
    /** Holds tc.dir/engine.lock for the life of the process: one engine per state directory. */
    private static final java.util.concurrent.atomic.AtomicReference<java.nio.channels.FileChannel> LOCK =
            new java.util.concurrent.atomic.AtomicReference<>();
    private static final java.util.logging.Logger BINLOG_LOGGER =
            java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog");

    final Settings settings;
    final Sink sink;
    final String engineName;
    /** The effective topic.prefix (the user may override it): the metrics' and offsets' server name. */
    final String topicPrefix;
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tc-control");
        t.setDaemon(true);
        return t;
    });

    // engine lifecycle; written on the control thread (and the engine's completion callback)
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService engineThread;
    private ScheduledFuture<?> pendingRetry;
    private volatile int generation;
    private volatile int closingGeneration = -1;
    private volatile boolean engineRunning;
    private volatile boolean taskRunning;
    private volatile boolean everStarted;
    private volatile boolean stopped;
    private volatile boolean failed;
    /** A start was requested and the control thread has not run it yet (answers "starting", not the old state). */
    private volatile boolean pendingStart;
    private volatile long disconnectedSinceMs;
    private volatile long lastProbeMs;
    private volatile boolean probeRunning;
    private volatile boolean disconnectError;
    /** The binlog client of this engine run has been connected (so "not connected" is a disconnection). */
    private volatile boolean everConnected;
    private volatile boolean snapshotStalled;
    private volatile long snapshotProgress = -1;
    private volatile long snapshotProgressMs;
    static volatile String lastBinlogWarning;
    static volatile long lastBinlogWarningMs;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tc-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastError = "";
    private volatile int lastErrno;
    private volatile Instant startedAt;
    private volatile Instant failedAt;
    private volatile Instant retryUntil;
    private volatile int restarts;
    private volatile int retryAttempts;
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private volatile Map<String, Object> storedOffsets;
    private volatile long storedOffsetsModified = -1;

    Main(Settings settings) {
        this.settings = settings;
        this.sink = new Sink(settings);
        this.engineName = "Debezium " + debeziumVersion() + " (embedded, MariaDB connector)";
        this.topicPrefix = settings.engineProperties().getProperty("topic.prefix", Settings.TOPIC_PREFIX);
    }

    static String debeziumVersion() {
        try {
            return io.debezium.connector.mariadb.Module.version();
        }
        catch (Throwable t) {
            return "unknown";
        }
    }

    // ---------------------------------------------------------------- start-up

    public static void main(String[] args) throws Exception {
        // Debezium's snapshot reading of TIMESTAMP columns is only right with the JVM in UTC whatever the
        // source server's time zone (measured: see docs/debezium-notes.md); streaming does not depend on it.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        System.setProperty("user.timezone", "UTC");
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            }
            else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (config == null) {
            System.err.println("usage: java -jar tc-debezium.jar --config FILE");
            System.exit(2);
        }
        Settings settings;
        try {
            settings = Settings.load(config);
        }
        catch (Exception e) {
            System.err.println("tc-debezium: bad configuration " + config + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(settings.dir);
        setUpLogging(settings.dir.resolve("engine.log"));
        Main m = new Main(settings);
        m.run();
    }

    private static void setUpLogging(Path logFile) throws IOException {
        OutputStream file = new FileOutputStream(logFile.toFile(), true);
        PrintStream original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public synchronized void write(int b) throws IOException {
                original.write(b);
                file.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                file.write(b, off, len);
            }

            @Override
            public synchronized void flush() throws IOException {
                original.flush();
                file.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        // Kafka's config dumps and Jetty/Jersey chatter are not useful here
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.reflections", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.debezium.config.CommonConnectorConfig", "warn");
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        // the binlog client's keep-alive reports its failed reconnects only as log warnings
        BINLOG_LOGGER.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue() && r.getMessage() != null) {
                    lastBinlogWarning = r.getMessage();
                    lastBinlogWarningMs = r.getMillis();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        log = LoggerFactory.getLogger(Main.class);
    }

    private void run() throws Exception {
        Path dir = settings.dir;
        java.nio.channels.FileChannel lockChannel = java.nio.channels.FileChannel.open(dir.resolve("engine.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        if (lockChannel.tryLock() == null) {
            String other = "";
            try {
                other = new String(Files.readAllBytes(dir.resolve("engine.pid")), StandardCharsets.UTF_8).trim();
            }
            catch (IOException e) {
                // unknown
            }
            log.error("another tc-debezium (pid {}) runs on {}: exiting", other.isEmpty() ? "?" : other, dir);
            System.exit(3);
        }
        LOCK.set(lockChannel);
        Files.deleteIfExists(dir.resolve("http.port"));
        writeAtomically(dir.resolve("engine.pid"), Long.toString(ProcessHandle.current().pid()));
        StatusServer server = new StatusServer(this, settings.httpPort);
        writeAtomically(dir.resolve("http.port"), Integer.toString(server.port()));
        log.info("tc-debezium {} started: pid {}, http://127.0.0.1:{}/status, state in {}", engineName,
                ProcessHandle.current().pid(), server.port(), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdownNow(server), "tc-shutdown"));
        try {
            // SIGTERM is a clean shutdown like POST /shutdown: the hook stops the engine, and the exit code is 0
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> new Thread(() -> System.exit(0), "tc-exit").start());
        }
        catch (Throwable t) {
            log.warn("cannot handle SIGTERM ({}); it still runs the shutdown hook, with exit code 143", t.toString());
        }
        control.scheduleWithFixedDelay(this::watch, 500, 500, TimeUnit.MILLISECONDS);
        control.execute(this::startEngine);
        new CountDownLatch(1).await();
    }

    static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, (content + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---------------------------------------------------------------- engine lifecycle (control thread)

    private void startEngine() {
        if (engine != null || shutDown.get()) {
            return;
        }
        stopped = false;
        failed = false;
        everStarted = true;
        pendingStart = false;
        disconnectedSinceMs = 0;
        everConnected = false;
        lastBinlogWarning = null;
        snapshotStalled = false;
        snapshotProgress = -1;
        snapshotProgressMs = 0;
        int g = ++generation;
        sink.stopping = false;
        DebeziumEngine.CompletionCallback completion = (success, message, error) -> onCompletion(g, success, message, error);
        DebeziumEngine.ConnectorCallback callbacks = new DebeziumEngine.ConnectorCallback() {
            @Override
            public void taskStarted() {
                if (g == generation) {
                    taskRunning = true;
                    log.info("connector task started");
                }
            }

            @Override
            public void taskStopped() {
                if (g == generation) {
                    taskRunning = false;
                }
            }
        };
        try {
            engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(settings.engineProperties())
                    .notifying(sink)
                    .using(completion)
                    .using(callbacks)
                    .build();
        }
        catch (Throwable t) {
            log.error("cannot build the Debezium engine", t);
            engine = null;
            recordFailure(describe(null, t), errno(t), false);
            return;
        }
        engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "tc-engine-" + g));
        engineRunning = true;
        taskRunning = false;
        startedAt = Instant.now();
        log.info("starting the Debezium engine (attempt {} of this run, snapshot.mode={}, sink={})", g,
                settings.snapshotMode, settings.sinkMode());
        engineThread.execute(engine);
    }

    private void onCompletion(int g, boolean success, String message, Throwable error) {
        if (g == closingGeneration || g != generation) {
            log.info("engine stopped ({}): {}", success ? "ok" : "error", message);
            return;
        }
        engineRunning = false;
        taskRunning = false;
        String text = success && error == null ? "" : describe(message, error);
        int code = errno(error);
        if (!text.isEmpty()) {
            log.error("engine failed: {}", text);
            lastError = text;
            lastErrno = code;
            failedAt = Instant.now();
        }
        boolean unreachable = error != null ? sourceUnreachable(error, code)
                : !success && sourceUnreachable(new RuntimeException(message), code);
        control.execute(() -> engineEnded(g, success && error == null, text, code, unreachable));
    }

    private void engineEnded(int g, boolean ok, String text, int code, boolean unreachable) {
        if (g != generation) {
            return;
        }
        releaseEngine();
        if (ok) {
            log.info("the engine finished by itself (snapshot.mode={})", settings.snapshotMode);
            stopped = true;
            return;
        }
        recordFailure(text, code, unreachable);
    }

    /**
     * An engine run ended with an error. While the source does not answer (connection refused, timed out,
     * closed) a restart is retried every tc.retry.every.ms within the retry window; an error that the source
     * answered with (1236 binlog purged, 1045 access denied, ...) is final at once.
     */
    private void recordFailure(String text, int code, boolean unreachable) {
        pendingStart = false;
        lastError = text;
        lastErrno = code;
        failedAt = Instant.now();
        Instant now = Instant.now();
        if (!unreachable) {
            if (retryUntil != null) {
                log.error("the source answered with an error; no more retries: {}", text);
            }
            retryUntil = null;
            failed = true;
            return;
        }
        if (retryUntil == null && settings.autoRestart) {
            restarts++;
            retryAttempts = 0;
            retryUntil = now.plusMillis(settings.retryWindowMs);
            log.info("tc.auto.restart: restarting in {} ms, retrying until {}", settings.retryEveryMs, retryUntil);
        }
        if (retryUntil != null && now.isBefore(retryUntil)) {
            retryAttempts++;
            pendingRetry = control.schedule(this::startEngine, settings.retryEveryMs, TimeUnit.MILLISECONDS);
            return;
        }
        if (retryUntil != null) {
            log.error("retry window ({} ms) over: failed", settings.retryWindowMs);
        }
        retryUntil = null;
        failed = true;
    }

    private void releaseEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> e = engine;
        engine = null;
        if (e != null) {
            try {
                e.close();
            }
            catch (Exception ex) {
                log.debug("closing the finished engine: {}", ex.toString());
            }
        }
        if (engineThread != null) {
            engineThread.shutdown();
            engineThread = null;
        }
        engineRunning = false;
        taskRunning = false;
    }

    /** Stops the running engine (flushing offsets of what was applied); returns when it has stopped. */
    private void stopEngine() {
        if (pendingRetry != null) {
            pendingRetry.cancel(false);
            pendingRetry = null;
        }
        DebeziumEngine<RecordChangeEvent<SourceRecord>> e = engine;
        if (e == null) {
            return;
        }
        closingGeneration = generation;
        sink.stopping = true;
        log.info("stopping the Debezium engine");
        try {
            e.close();
        }
        catch (Exception ex) {
            log.warn("engine close: {}", ex.toString());
        }
        ExecutorService t = engineThread;
        if (t != null) {
            t.shutdown();
            try {
                if (!t.awaitTermination(60, TimeUnit.SECONDS)) {
                    log.warn("engine thread still running 60 s after close; interrupting it");
                    t.shutdownNow();
                    t.awaitTermination(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        engine = null;
        engineThread = null;
        engineRunning = false;
        taskRunning = false;
        sink.closeQuietly();
        log.info("the Debezium engine has stopped");
    }

    /**
     * Periodic (control thread): ends a retry once the task streams or snapshots again, ends it as failed when
     * the window is over and the source still cannot be reached, and keeps last_error up to date while the binlog
     * client is disconnected (its keep-alive thread reconnects by itself and reports no error to Debezium) or
     * while a snapshot is stalled because the source stopped answering (its JDBC read just waits).
     */
    private void watch() {
        try {
            if (!engineRunning || !taskRunning) {
                return;
            }
            Metrics m = metrics();
            long now = System.currentTimeMillis();
            if (m.snapshotRunning) {
                long progress = sink.recordsSeen;
                if (progress != snapshotProgress) {
                    snapshotProgress = progress;
                    snapshotProgressMs = now;
                    if (snapshotStalled) {
                        log.info("the snapshot is making progress again");
                        snapshotStalled = false;
                        if (disconnectError) {
                            lastError = "";
                            lastErrno = 0;
                            disconnectError = false;
                        }
                    }
                }
                if (snapshotProgressMs == 0) {
                    snapshotProgressMs = now;
                }
                if (!snapshotStalled) {
                    healthy(m);
                }
                if (now - snapshotProgressMs >= 5000) {
                    long since = snapshotProgressMs;
                    probe(now, p -> {
                        if (!p.ok && snapshotProgressMs == since) {
                            snapshotStalled = true;
                            lastError = "snapshot stalled: no row from " + settings.sourceHost + ":" + settings.sourcePort
                                    + " since " + Instant.ofEpochMilli(since) + "; probe: " + p.text;
                            lastErrno = p.errno;
                            disconnectError = true;
                        }
                    });
                }
                retryWindowOver(m);
                return;
            }
            snapshotStalled = false;
            snapshotProgressMs = 0;
            if (m.connected) {
                healthy(m);
                return;
            }
            if (!m.streamingRegistered) {
                return; // between snapshot and streaming, or still starting
            }
            if (disconnectedSinceMs == 0) {
                disconnectedSinceMs = now;
                if (everConnected) {
                    // it was streaming: a real disconnection, reported at once; the probe adds how the source answers
                    lastError = "binlog client not connected to " + settings.sourceHost + ":" + settings.sourcePort
                            + " since " + Instant.ofEpochMilli(now) + " (probing the source)";
                    lastErrno = 0;
                    disconnectError = true;
                    log.warn("binlog client disconnected from {}:{}", settings.sourceHost, settings.sourcePort);
                }
            }
            if (retryWindowOver(m)) {
                return;
            }
            if (everConnected || now - disconnectedSinceMs >= 1500) {
                long since = disconnectedSinceMs;
                probe(now, p -> {
                    if (disconnectedSinceMs == 0) {
                        return;
                    }
                    StringBuilder sb = new StringBuilder();
                    sb.append("binlog client not connected to ").append(settings.sourceHost).append(':')
                            .append(settings.sourcePort).append(" since ").append(Instant.ofEpochMilli(since));
                    String w = lastBinlogWarning;
                    if (w != null && lastBinlogWarningMs >= since) {
                        sb.append("; ").append(w);
                    }
                    sb.append("; probe: ").append(p.text);
                    lastError = sb.toString();
                    lastErrno = p.errno;
                    disconnectError = true;
                });
            }
        }
        catch (Throwable t) {
            log.warn("watch: {}", t.toString());
        }
    }

    /** Probes the source on the probe thread, at most every 3 s, and hands the answer to then. */
    private void probe(long now, java.util.function.Consumer<Probe> then) {
        if (probeRunning || now - lastProbeMs < 3000) {
            return;
        }
        probeRunning = true;
        lastProbeMs = now;
        int g = generation;
        prober.execute(() -> {
            try {
                Probe p = probeSource();
                if (g == generation && engineRunning) {
                    then.accept(p);
                }
            }
            finally {
                probeRunning = false;
            }
        });
    }

    /** A restart's retry window is over while the source still does not answer: stop, failed. */
    private boolean retryWindowOver(Metrics m) {
        boolean stuck = m.snapshotRunning ? snapshotStalled : !m.connected;
        if (retryUntil == null || !stuck || !Instant.now().isAfter(retryUntil)) {
            return false;
        }
        log.error("retry window ({} ms) over and the source still does not answer: failed", settings.retryWindowMs);
        String text = lastError;
        int code = lastErrno;
        stopEngine();
        retryUntil = null;
        lastError = text.isEmpty() ? "the source did not answer within the retry window" : text;
        lastErrno = code;
        failedAt = Instant.now();
        failed = true;
        return true;
    }

    /** The task snapshots or streams: a retry is over, a disconnection error is past. */
    private synchronized void healthy(Metrics m) {
        if (m.connected) {
            everConnected = true;
        }
        if (retryUntil != null) {
            log.info("restart succeeded after {} attempt(s)", retryAttempts + 1);
            retryUntil = null;
            retryAttempts = 0;
            lastError = "";
            lastErrno = 0;
        }
        if (disconnectedSinceMs != 0 && m.connected) {
            log.info("binlog client connected again after {} ms", System.currentTimeMillis() - disconnectedSinceMs);
            disconnectedSinceMs = 0;
            if (disconnectError) {
                lastError = "";
                lastErrno = 0;
                disconnectError = false;
            }
        }
    }

    static final class Probe {
        final boolean ok;
        final String text;
        final int errno;

        Probe(boolean ok, String text, int errno) {
            this.ok = ok;
            this.text = text;
            this.errno = errno;
        }
    }

    /** Connects to the source like a client and reads its greeting: how the source answers right now. */
    Probe probeSource() {
        int timeout = 3000;
        try (java.net.Socket sock = new java.net.Socket()) {
            sock.connect(new java.net.InetSocketAddress(settings.sourceHost, settings.sourcePort), timeout);
            sock.setSoTimeout(timeout);
            java.io.InputStream in = sock.getInputStream();
            byte[] head = in.readNBytes(4);
            if (head.length < 4) {
                return new Probe(false, "connection closed by the source before its greeting (EOF)", 0);
            }
            int len = (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16;
            byte[] body = in.readNBytes(Math.min(len, 512));
            if (body.length > 0 && (body[0] & 0xff) == 0xff && body.length >= 3) {
                int code = (body[1] & 0xff) | (body[2] & 0xff) << 8;
                String msg = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
                if (msg.startsWith("#") && msg.length() > 6) {
                    msg = msg.substring(6);
                }
                return new Probe(false, "source refused the session: error " + code + ": " + msg, code);
            }
            return new Probe(true, "the source answers (greeting received)", 0);
        }
        catch (java.net.SocketTimeoutException e) {
            return new Probe(false, "no answer from " + settings.sourceHost + ":" + settings.sourcePort + " within " + timeout
                    + " ms (" + e + ")", 0);
        }
        catch (IOException e) {
            return new Probe(false, e.toString(), 0);
        }
    }

    /** Whether an error means the source did not answer (so a restart is worth retrying). */
    static boolean sourceUnreachable(Throwable t, int code) {
        if (t == null) {
            return false;
        }
        if (code != 0 && !Set.of(1040, 1053, 1077, 1152, 1159, 1161, 1927, 2002, 2003, 2006, 2013).contains(code)) {
            return false; // the server answered with an error
        }
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
            if (c instanceof java.net.SocketException || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.io.EOFException || c instanceof java.util.concurrent.TimeoutException
                    || c instanceof java.sql.SQLNonTransientConnectionException
                    || c instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException) {
                String state = ((SQLException) c).getSQLState();
                if (state != null && state.startsWith("08")) {
                    return true;
                }
            }
            String m = c.getMessage();
            if (m != null) {
                String l = m.toLowerCase(java.util.Locale.ROOT);
                if (l.contains("connection refused") || l.contains("timed out") || l.contains("unable to connect")
                        || l.contains("communications link failure") || l.contains("connection reset")
                        || l.contains("socket fail to connect") || l.contains("broken pipe")) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- HTTP operations

    Map<String, Object> restart() {
        restarts++;
        retryAttempts = 0;
        retryUntil = Instant.now().plusMillis(settings.retryWindowMs);
        failed = false;
        stopped = false;
        pendingStart = true;
        disconnectError = false;
        log.info("POST /restart: restarting from the stored offsets, retrying until {}", retryUntil);
        control.execute(() -> {
            stopEngine();
            startEngine();
        });
        return status();
    }

    Map<String, Object> stop() throws Exception {
        retryUntil = null;
        pendingStart = false;
        Future<?> f = control.submit(() -> {
            stopEngine();
            stopped = true;
            failed = false;
        });
        try {
            f.get(90, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.TimeoutException e) {
            // answered with the current status; the stop goes on
        }
        return status();
    }

    Map<String, Object> start() {
        retryUntil = null;
        if (!engineRunning) {
            pendingStart = true;
            failed = false;
            stopped = false;
        }
        control.execute(() -> {
            if (engine == null) {
                startEngine();
            }
        });
        return status();
    }

    Map<String, Object> resync() {
        retryUntil = null;
        pendingStart = true;
        lastError = "";
        lastErrno = 0;
        failed = false;
        stopped = false;
        control.execute(() -> {
            stopEngine();
            try {
                Files.deleteIfExists(settings.offsetsFile());
                Files.deleteIfExists(settings.historyFile());
                storedOffsets = null;
                storedOffsetsModified = -1;
                sink.dropDestinationTables();
                sink.closeQuietly();
                log.info("resync: offsets and schema history deleted, destination tables dropped; new snapshot");
            }
            catch (IOException | SQLException e) {
                log.error("resync failed", e);
                sink.closeQuietly();
                recordFailure("resync: " + describe(null, e), errno(e), sourceUnreachable(e, errno(e)));
                return;
            }
            lastError = "";
            lastErrno = 0;
            startEngine();
        });
        return status();
    }

    void shutdownNow(StatusServer server) {
        if (!shutDown.compareAndSet(false, true)) {
            return;
        }
        log.info("shutting down: stopping the engine and flushing offsets");
        try {
            Future<?> f = control.submit(this::stopEngine);
            f.get(90, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            log.warn("shutdown: {}", e.toString());
        }
        stopped = true;
        if (server != null) {
            server.stop();
        }
        // remove our own files only: a successor may already have written its own
        deleteIfContains(settings.dir.resolve("http.port"), server == null ? "" : Integer.toString(server.port()));
        deleteIfContains(settings.dir.resolve("engine.pid"), Long.toString(ProcessHandle.current().pid()));
        log.info("shut down");
    }

    private static void deleteIfContains(Path f, String content) {
        try {
            if (!content.isEmpty() && Files.exists(f)
                    && new String(Files.readAllBytes(f), StandardCharsets.UTF_8).trim().equals(content)) {
                Files.delete(f);
            }
        }
        catch (IOException e) {
            // ignore
        }
    }

    // ---------------------------------------------------------------- status

    static final class Metrics {
        boolean connected;
        boolean streamingRegistered;
        boolean snapshotRunning;
        boolean snapshotCompleted;
        Set<String> capturedTables = new TreeSet<>();
        Long behindSourceMs;
    }

    Metrics metrics() {
        Metrics m = new Metrics();
        if (!engineRunning) {
            return m;
        }
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : mbs.queryNames(new ObjectName("debezium.mariadb:type=connector-metrics,context=streaming,*"), null)) {
                if (!topicPrefix.equals(n.getKeyProperty("server"))) {
                    continue;
                }
                m.streamingRegistered = true;
                Object c = safeAttr(mbs, n, "Connected");
                m.connected = Boolean.TRUE.equals(c);
                Object b = safeAttr(mbs, n, "MilliSecondsBehindSource");
                if (b instanceof Number && ((Number) b).longValue() >= 0) {
                    m.behindSourceMs = ((Number) b).longValue();
                }
            }
            for (ObjectName n : mbs.queryNames(new ObjectName("debezium.mariadb:type=connector-metrics,context=snapshot,*"), null)) {
                if (!topicPrefix.equals(n.getKeyProperty("server"))) {
                    continue;
                }
                m.snapshotRunning = Boolean.TRUE.equals(safeAttr(mbs, n, "SnapshotRunning"));
                m.snapshotCompleted = Boolean.TRUE.equals(safeAttr(mbs, n, "SnapshotCompleted"));
                Object t = safeAttr(mbs, n, "CapturedTables");
                if (t instanceof String[]) {
                    for (String s : (String[]) t) {
                        m.capturedTables.add(s);
                    }
                }
            }
        }
        catch (Exception e) {
            // metrics not registered (yet)
        }
        return m;
    }

    private static Object safeAttr(MBeanServer mbs, ObjectName n, String attr) {
        try {
            return mbs.getAttribute(n, attr);
        }
        catch (Exception e) {
            return null;
        }
    }

    String state(Metrics m) {
        if (pendingStart) {
            return retryUntil != null ? "connecting" : "starting";
        }
        if (stopped) {
            return "stopped";
        }
        boolean retrying = retryUntil != null;
        if (engineRunning) {
            if (!taskRunning) {
                return retrying ? "connecting" : "starting";
            }
            if (m.snapshotRunning) {
                return snapshotStalled ? "connecting" : "snapshot";
            }
            if (m.connected) {
                return "running";
            }
            return "connecting";
        }
        if (retrying) {
            return "connecting";
        }
        if (failed) {
            return "failed";
        }
        return "starting";
    }

    synchronized Map<String, Object> status() {
        Metrics m = metrics();
        Map<String, Object> s = new LinkedHashMap<>();
        String state = state(m);
        if ("running".equals(state) && taskRunning) {
            healthy(m);
            state = state(m);
        }
        s.put("state", state);
        String err = lastError;
        int errno = lastErrno;
        if (err.isEmpty() && !sink.lastError.isEmpty()) {
            err = sink.lastError;
            errno = sink.lastErrno;
        }
        s.put("last_error", err);
        s.put("last_errno", errno);
        s.put("events_applied", sink.eventsApplied);
        long ts = sink.lastEventTsMs;
        long at = sink.lastAppliedAtMs;
        // the source time to apply time of the last applied event; 0 once a heartbeat has come after it
        // (the connector read the binlog up to the heartbeat and found nothing more to apply)
        Double lag = ts < 0 || at < 0 ? null : Math.max(0, at - ts) / 1000.0;
        if (sink.lastHeartbeatMs > 0 && sink.lastHeartbeatMs > at && m.connected) {
            lag = 0.0;
        }
        s.put("lag_seconds", lag);
        s.put("offsets", storedOffsets());
        Map<String, Object> applied = sink.lastAppliedOffsets;
        s.put("applied_offsets", applied);
        Map<String, String> tables = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(settings.tableList());
        names.addAll(m.capturedTables);
        names.addAll(sink.seenTables);
        for (String t : names) {
            tables.put(t, m.snapshotRunning && !sink.streamedTables.contains(t) ? "snapshot" : "streaming");
        }
        s.put("tables", tables);
        s.put("connected", m.connected);
        s.put("engine", engineName);
        s.put("sink_mode", settings.sinkMode());
        s.put("snapshot_mode", settings.snapshotMode);
        s.put("restarts", restarts);
        s.put("retry_attempts", retryAttempts);
        s.put("started_at", iso(startedAt));
        s.put("failed_at", iso(failedAt));
        s.put("retry_until", iso(retryUntil));
        s.put("last_event_at", iso(Sink.instant(ts)));
        s.put("pid", ProcessHandle.current().pid());
        return s;
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    /** The offsets as stored in offsets.dat (Kafka's FileOffsetBackingStore: a serialized HashMap of JSON bytes). */
    Map<String, Object> storedOffsets() {
        Path f = settings.offsetsFile();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", "");
        out.put("pos", 0L);
        out.put("gtid", "");
        try {
            if (!Files.exists(f)) {
                storedOffsets = null;
                return out;
            }
            long mod = Files.getLastModifiedTime(f).toMillis() ^ Files.size(f);
            if (storedOffsets != null && mod == storedOffsetsModified) {
                return storedOffsets;
            }
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(f))) {
                in.setObjectInputFilter(info -> {
                    Class<?> c = info.serialClass();
                    if (c == null || c == java.util.HashMap.class || c.isArray()) { // HashMap checks a Map.Entry[] too
                        return ObjectInputFilter.Status.ALLOWED;
                    }
                    return ObjectInputFilter.Status.REJECTED;
                });
                Object o = in.readObject();
                if (o instanceof Map) {
                    com.fasterxml.jackson.databind.ObjectMapper om = StatusServer.JSON;
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                        String key = new String((byte[]) e.getKey(), StandardCharsets.UTF_8);
                        if (!key.contains("\"" + topicPrefix + "\"") || e.getValue() == null) {
                            continue;
                        }
                        @SuppressWarnings("unchecked")
                        Map<String, Object> v = om.readValue((byte[]) e.getValue(), Map.class);
                        out.put("file", v.getOrDefault("file", ""));
                        out.put("pos", v.getOrDefault("pos", 0L));
                        Object g = v.get("gtids");
                        out.put("gtid", g == null ? "" : g);
                    }
                }
            }
            storedOffsets = out;
            storedOffsetsModified = mod;
            return out;
        }
        catch (Exception e) {
            // a file being rewritten: answer with the last good reading
            log.debug("reading {}: {}", f, e.toString());
            return storedOffsets != null ? storedOffsets : out;
        }
    }

    // ---------------------------------------------------------------- errors

    /** The error's text: the engine's message, then each distinct message of the cause chain. */
    static String describe(String message, Throwable t) {
        StringBuilder sb = new StringBuilder();
        if (message != null && !message.isBlank()) {
            sb.append(message.trim());
        }
        int depth = 0;
        for (Throwable c = t; c != null && depth < 12; c = c.getCause(), depth++) {
            String m = c.getMessage();
            String part = c.getClass().getSimpleName() + (m == null ? "" : ": " + m.trim());
            if (m != null && sb.indexOf(m.trim()) >= 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; caused by: ");
            }
            sb.append(part);
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    /** The first MySQL/MariaDB error code in the chain (SQLException, binlog ServerException), else 0. */
    static int errno(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 12; c = c.getCause(), depth++) {
            if (c instanceof SQLException) {
                int code = ((SQLException) c).getErrorCode();
                if (code > 0) {
                    return code;
                }
                continue;
            }
            try {
                Method m = c.getClass().getMethod("getErrorCode");
                Object v = m.invoke(c);
                if (v instanceof Number && ((Number) v).intValue() > 0) {
                    return ((Number) v).intValue();
                }
            }
            catch (Exception e) {
                // no error code here
            }
        }
        return 0;
    }
}
