package dev.lanes.nn.data.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 for the fetch tests: serves the bytes put under a path, answers
 * 404 otherwise, and for paths marked "broken" announces the full length but sends only half
 * and hangs up, as an aborted download does.
 */
final class LocalServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Boolean> broken = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL of folder {@code dir} on this server, e.g. {@code http://127.0.0.1:PORT/dir/}. */
    public String base(String dir) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + dir + "/";
    }

    public LocalServer put(String path, byte[] data) {
        files.put(path, data);
        return this;
    }

    public LocalServer putBroken(String path, byte[] data) {
        broken.put(path, true);
        return put(path, data);
    }

    /** Requests served so far. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byte[] data = files.get(path);
        try (ex) {
            if (data == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, data.length);
            OutputStream out = ex.getResponseBody();
            if (broken.containsKey(path)) {
                out.write(data, 0, data.length / 2);
                out.flush();
                throw new IOException("hanging up on purpose"); // closes the connection mid-body
            }
            out.write(data);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
