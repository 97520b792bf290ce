package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/** The S3 backend's flows against a real MinIO in a container; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class MinioObjectStorageTest extends S3StorageFlows {

  @Container
  static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

  private static S3Client client;

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Override
  protected StorageConfig.Minio minio(String defaultBucket) {
    return new StorageConfig.Minio(MINIO.getS3URL(), MINIO.getUserName(), MINIO.getPassword(), false, "us-east-1",
        "", defaultBucket, true);
  }

  @Override
  protected synchronized S3Client assertions() {
    if (client == null) {
      client = S3Client.builder()
          .endpointOverride(URI.create(MINIO.getS3URL()))
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
          .forcePathStyle(true)
          .build();
    }
    return client;
  }
}
