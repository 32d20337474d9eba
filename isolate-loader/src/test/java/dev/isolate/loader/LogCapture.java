package dev.isolate.loader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The lines the loader logs through {@link System.Logger}, caught where the default backend sends them:
 * java.util.logging's logger of the same name (the JDK's default System.LoggerFinder when java.logging is present).
 */
final class LogCapture implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(NativeLoader.LOGGER); // held: JUL keeps loggers weakly
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    LogCapture() {
        logger.addHandler(handler);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
