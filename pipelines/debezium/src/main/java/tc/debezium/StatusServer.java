package tc.debezium;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loopback HTTP API: GET /status; POST /restart, /stop, /start, /resync, /shutdown. */
final class StatusServer {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);

    private final Main main;
    private final HttpServer server;

    StatusServer(Main main, int port) throws IOException {
        this.main = main;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "tc-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        try {
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            switch (path) {
                case "/status":
                    if (!method.equals("GET") && !method.equals("HEAD")) {
                        send(ex, 405, error("use GET /status"));
                        return;
                    }
                    send(ex, 200, main.status());
                    return;
                case "/restart":
                case "/stop":
                case "/start":
                case "/resync":
                case "/shutdown":
                    if (!method.equals("POST")) {
                        send(ex, 405, error("use POST " + path));
                        return;
                    }
                    LOG.info("HTTP POST {}", path);
                    break;
                default:
                    send(ex, 404, error("not found: " + method + " " + path));
                    return;
            }
            switch (path) {
                case "/restart":
                    send(ex, 202, main.restart());
                    return;
                case "/stop":
                    send(ex, 200, main.stop());
                    return;
                case "/start":
                    send(ex, 202, main.start());
                    return;
                case "/resync":
                    send(ex, 202, main.resync());
                    return;
                case "/shutdown": {
                    Map<String, Object> s = main.status();
                    s.put("state", "stopped");
                    send(ex, 202, s);
                    Thread t = new Thread(() -> System.exit(0), "tc-exit");
                    t.start();
                    return;
                }
                default:
                    send(ex, 404, error("not found"));
            }
        }
        catch (Exception e) {
            LOG.warn("HTTP {} {} failed", method, path, e);
            try {
                send(ex, 500, error(Main.describe(null, e)));
            }
            catch (IOException ignored) {
                // client gone
            }
        }
        finally {
            ex.close();
        }
    }

    private static Map<String, Object> error(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", text);
        return m;
    }

    private static void send(HttpExchange ex, int code, Object body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
