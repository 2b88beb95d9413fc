# One image per service: docker build --build-arg SERVICE=job-service -t gridrun/job-service .
# Build the jars first: ./mvnw -B install -DskipTests
FROM eclipse-temurin:17-jre
ARG SERVICE
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar /opt/gridrun/service.jar
WORKDIR /var/lib/gridrun
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/gridrun/service.jar"]
