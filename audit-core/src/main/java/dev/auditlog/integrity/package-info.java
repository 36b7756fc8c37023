/**
 * Integrity primitives: the record hash chain, RFC 6962 Merkle trees with inclusion and consistency proofs,
 * and Ed25519-signed checkpoints in the C2SP signed-note format.
 */
package dev.auditlog.integrity;
