package io.gridrun.storage.blob;

/**
 * A blob after {@link BlobStore#put}.
 *
 * @param created true if this put added the bytes to the store, false if they were there already
 */
public record StoredBlob(String hash, long size, boolean created) {}
