package io.cinnabar.kernel.keyspace;

/** Keyspace hooks for tests that drive a {@link Database} without a server: time stands still at 0. */
public final class TestHooks implements KeyspaceHooks {
    public static final TestHooks INSTANCE = new TestHooks();

    private TestHooks() {
    }

    @Override
    public long now() {
        return 0;
    }

    @Override
    public boolean mayDeleteExpired() {
        return true;
    }

    @Override
    public void onExpired(Database db, byte[] key) {
    }

    @Override
    public void onNewKey(Database db, byte[] key) {
    }

    @Override
    public int accessStamp(int previous) {
        return 1;
    }
}
