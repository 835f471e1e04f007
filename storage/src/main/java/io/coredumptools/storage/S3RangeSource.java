package io.coredumptools.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An object in S3 or an S3-compatible store, read with ranged GetObject requests that carry {@code If-Match} on
 * the ETag seen at open; 412 Precondition Failed means the object changed.
 *
 * <p>Error messages are built from the HTTP status and the S3 error code only, never from the SDK's or the
 * server's text, so no credential can reach them.
 */
final class S3RangeSource implements RangeSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final S3Client client;
    private final Location.S3 location;
    private final String endpointIdentity;

    /** @param endpointIdentity the endpoint URL, or "aws" for the SDK's own endpoints; part of the cache key */
    S3RangeSource(S3Client client, Location.S3 location, String endpointIdentity) {
        this.client = client;
        this.location = location;
        this.endpointIdentity = endpointIdentity;
    }

    @Override
    public String describe() {
        return location.describe();
    }

    @Override
    public String cacheIdentity() {
        return "s3\n" + endpointIdentity + "\n" + location.bucket() + "\n" + location.key();
    }

    @Override
    public ObjectVersion head() throws IOException, StorageException {
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw new StorageException(
                    StorageException.Reason.INVALID_LOCATION, describe(), "names a prefix, not an object");
        }
        try {
            HeadObjectResponse head =
                    client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            return new ObjectVersion(
                    head.contentLength(),
                    head.eTag(),
                    head.lastModified() == null ? null : head.lastModified().toString());
        } catch (S3Exception e) {
            throw translate(e, "the object's size and ETag");
        } catch (SdkClientException e) {
            throw clientFailure(e);
        }
    }

    @Override
    public void fetch(long offset, long length, ObjectVersion version, Body body) throws IOException, StorageException {
        long last = offset + length - 1;
        GetObjectRequest.Builder request = GetObjectRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .range("bytes=" + offset + "-" + last);
        if (version.etag() != null) request.ifMatch(version.etag());
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = client.getObject(request.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 412) throw changed(version);
            throw translate(e, "bytes " + offset + "-" + last);
        } catch (SdkClientException e) {
            throw clientFailure(e);
        }
        boolean complete = false;
        try {
            GetObjectResponse response = in.response();
            if (version.etag() != null
                    && response.eTag() != null
                    && !response.eTag().equals(version.etag())) {
                throw changed(version);
            }
            Matcher m = CONTENT_RANGE.matcher(response.contentRange() == null ? "" : response.contentRange());
            if (!m.matches() || Long.parseLong(m.group(1)) != offset || Long.parseLong(m.group(2)) != last) {
                throw new StorageException(
                        StorageException.Reason.PROTOCOL,
                        describe(),
                        "answered bytes " + offset + "-" + last + " with Content-Range '" + response.contentRange()
                                + "'");
            }
            if (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != version.size()) throw changed(version);
            try {
                body.read(in);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            complete = true;
        } catch (SdkClientException e) {
            throw clientFailure(e);
        } finally {
            if (complete) {
                in.close(); // fully read: the connection goes back to the keep-alive pool
            } else {
                in.abort(); // half read: drop the connection instead of draining it
            }
        }
    }

    private StorageException changed(ObjectVersion version) {
        return new StorageException(
                StorageException.Reason.CHANGED,
                describe(),
                "changed since it was opened (" + version.validator() + " no longer matches; the store answered"
                        + " 412 Precondition Failed to If-Match); its bytes would be mixed from two versions, so"
                        + " reading stops: open it again");
    }

    /** Transient statuses become IOExceptions (retried); the others definite errors with what to do. */
    private StorageException translate(S3Exception e, String what) throws IOException {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String detail = "HTTP " + status + (code == null || code.isBlank() ? "" : " " + code);
        if (status == 500 || status == 502 || status == 503 || status == 504 || status == 429) {
            throw new IOException(detail + " for " + what);
        }
        if (status == 404) {
            String message = "NoSuchBucket".equals(code)
                    ? "no such bucket '" + location.bucket() + "' (" + detail + ")"
                    : "no such object (" + detail + ")";
            return new StorageException(StorageException.Reason.NOT_FOUND, describe(), message);
        }
        if (status == 401 || status == 403) {
            return new StorageException(
                    StorageException.Reason.ACCESS_DENIED,
                    describe(),
                    "access denied (" + detail + "): check the credentials the AWS default chain finds"
                            + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials,"
                            + " instance role) and the bucket's policy");
        }
        if (status == 301 || (status == 400 && "AuthorizationHeaderMalformed".equals(code))) {
            return new StorageException(
                    StorageException.Reason.ACCESS_DENIED,
                    describe(),
                    "the bucket is in another region (" + detail + "): set AWS_REGION to the bucket's region");
        }
        return new StorageException(
                StorageException.Reason.PROTOCOL,
                describe(),
                "the store refused a request for " + what + " (" + detail + ")");
    }

    private StorageException clientFailure(SdkClientException e) throws IOException {
        if (hasIoCause(e)) throw new IOException(RetryPolicy.describe(e), e);
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Unable to load credentials")) {
            return new StorageException(
                    StorageException.Reason.ACCESS_DENIED,
                    describe(),
                    "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE,"
                            + " or run where an instance role is available");
        }
        if (e.retryable()) throw new IOException(RetryPolicy.describe(e), e);
        return new StorageException(
                StorageException.Reason.UNAVAILABLE,
                describe(),
                "the S3 client failed: " + e.getClass().getSimpleName());
    }

    private static boolean hasIoCause(SdkException e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException) return true;
        }
        return false;
    }
}
