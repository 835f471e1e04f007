package io.coredumptools.storage;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the one S3 client a {@link Storage} uses: HttpURLConnection transport, our retries, no SDK retries. */
final class S3Clients {
    private S3Clients() {}

    static S3Client create(StorageConfig config) throws StorageException {
        RetryStrategy noRetries = AwsRetryStrategy.doNotRetry(); // RetryPolicy retries every store the same way
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .socketTimeout(config.readTimeout())
                        .build())
                .credentialsProvider(config.s3Credentials()
                        .orElseGet(() -> DefaultCredentialsProvider.builder().build()))
                .region(region(config))
                .forcePathStyle(config.s3PathStyle())
                // Ranged reads have no whole-object checksum to check, and S3-compatible stores differ in
                // which checksum headers they know: ask for checksums only where S3 requires them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(noRetries));
        config.s3Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static Region region(StorageConfig config) throws StorageException {
        if (config.s3Region().isPresent()) return Region.of(config.s3Region().get());
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (config.s3Endpoint().isPresent()) return Region.US_EAST_1; // S3-compatible stores accept any
            throw new StorageException(
                    StorageException.Reason.INVALID_LOCATION,
                    "s3",
                    "no AWS region configured: set AWS_REGION (or a region in ~/.aws/config), or give --s3-endpoint");
        }
    }
}
