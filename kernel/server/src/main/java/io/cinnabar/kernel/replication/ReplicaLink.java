package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.net.ClientConnection;

/** A replica attached to this server (the master side of one link): what INFO, ROLE and WAIT report. */
final class ReplicaLink {
    final ClientConnection connection;
    final String ip;
    final int listeningPort;
    /** The replica's acknowledged replication offset (REPLCONF ACK), -1 before the first one. */
    long ackOffset = -1;
    /** The offset the replica's AOF fsynced (REPLCONF ACK ... FACK), -1 before the first one or without AOF. */
    long aofAckOffset = -1;
    long ackMillis;

    ReplicaLink(ClientConnection connection, String ip, int listeningPort, long nowMillis) {
        this.connection = connection;
        this.ip = ip;
        this.listeningPort = listeningPort;
        this.ackMillis = nowMillis;
    }
}
