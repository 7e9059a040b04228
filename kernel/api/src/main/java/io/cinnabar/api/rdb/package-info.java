/**
 * Redis's RDB serialization building blocks, shared by the kernel (RDB files, DUMP/RESTORE, replication) and
 * every plugin's {@link io.cinnabar.api.DataType}: type ids and opcodes, length and string encodings (integer
 * and LZF forms), doubles, listpacks and CRC64, each byte-compatible with Redis 7.2.
 */
package io.cinnabar.api.rdb;
