package io.cinnabar.kernel.commands;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** The command families built into the kernel (everything else comes from plugins). */
public final class KernelFamilies {
    private KernelFamilies() {
    }

    public static List<CommandFamily> all(CinnabarServer server) {
        return List.of(
                new ConnectionFamily(server),
                new ClientFamily(server),
                new TransactionFamily(server),
                new GenericFamily(server),
                new DumpRestoreFamily(server),
                new MigrateFamily(server),
                new ServerFamily(server),
                new ConfigFamily(server),
                new CommandDocsFamily(server),
                new DiagnosticsFamily(server),
                new io.cinnabar.kernel.replication.ReplicationFamily(server),
                new PersistenceFamily(server),
                new io.cinnabar.kernel.cluster.ClusterFamily(server));
    }
}
