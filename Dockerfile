# One image per service: docker build --build-arg SERVICE=job-service -t gridrun/job-service .
# Build the jars first: ./mvnw -B install -DskipTests
# BASE: any Java 17 runtime image; scripts/compose-images.sh builds on gridrun/jre:17-debian, made
# locally from Debian packages (scripts/jre-image.sh), where no registry is reachable.
ARG BASE=eclipse-temurin:17-jre
FROM ${BASE}
ARG SERVICE
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar /opt/gridrun/service.jar
WORKDIR /var/lib/gridrun
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/gridrun/service.jar"]
