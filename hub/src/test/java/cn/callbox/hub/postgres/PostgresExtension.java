package cn.callbox.hub.postgres;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class the test run's {@link PostgresServer}: {@code @ExtendWith(PostgresExtension.class)}, then
 * {@link #server()} from the test (field initialisers, {@code @BeforeEach}, {@code @DynamicPropertySource} suppliers).
 *
 * <p>The first class that uses it starts the server (lazily: a run without PostgreSQL tests starts none); it lives in
 * the root extension store, so every later class shares it and JUnit stops it when the whole run ends. Without the
 * Debian package {@code postgresql} the class fails, or is skipped when {@code CALLBOX_SKIP_POSTGRES=1}.
 */
public final class PostgresExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    private static volatile PostgresServer current;

    @Override
    public void beforeAll(ExtensionContext context) {
        PostgresServer.requireInstalled();
        current = context.getRoot().getStore(NAMESPACE).computeIfAbsent(PostgresServer.class, key -> {
            try {
                return PostgresServer.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            } catch (Exception e) {
                throw new IllegalStateException("could not start PostgreSQL 15 for the tests", e);
            }
        }, PostgresServer.class);
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException when no class with this extension has started yet
     */
    public static PostgresServer server() {
        PostgresServer server = current;
        if (server == null) {
            throw new IllegalStateException("no PostgreSQL server: annotate the test class with "
                    + "@ExtendWith(PostgresExtension.class)");
        }
        return server;
    }
}
