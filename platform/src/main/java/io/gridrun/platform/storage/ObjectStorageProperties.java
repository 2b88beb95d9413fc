package io.gridrun.platform.storage;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where blobs, finished step logs and artifacts live when the services share no disk ({@code
 * gridrun.storage.kind=s3}); ignored with the default {@code filesystem}. Credentials come from the
 * AWS SDK's default provider chain, never from here.
 *
 * @param bucket the bucket (it must exist, unless {@code createBucket})
 * @param prefix put before every key, e.g. {@code gridrun/}
 * @param endpoint the S3 API's address (MinIO, Ceph, S3Proxy…); empty for AWS
 * @param region the signing region
 * @param pathStyle path-style addresses ({@code http://host/bucket/key}), as most self-hosted
 *     servers need
 * @param liveLogLag how long the lines of a running step stay on the {@code gridrun.logs} topic at
 *     least (the topic's {@code min.compaction.lag.ms}); a step running longer loses its earliest
 *     lines from live follow only, never from its stored log
 * @param createBucket create the bucket at start when it is missing (a fresh self-hosted store, as
 *     in the compose file); off, a missing bucket fails the first write
 */
@ConfigurationProperties("gridrun.storage.s3")
public record ObjectStorageProperties(
    String bucket,
    @DefaultValue("") String prefix,
    URI endpoint,
    @DefaultValue("us-east-1") String region,
    @DefaultValue("false") boolean pathStyle,
    @DefaultValue("24h") Duration liveLogLag,
    @DefaultValue("false") boolean createBucket) {}
