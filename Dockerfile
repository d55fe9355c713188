# sensorcast image: the jar and its libraries from `mvn -DskipTests package`, on a JRE, as user 10001.
#   docker build -t sensorcast .
# The pipeline file is not baked in: mount it at /etc/sensorcast/pipeline.yaml (the chart and
# docker-compose.yml do), with state.dir and model.directory under /var/lib/sensorcast, the only
# directory the service writes besides /tmp.

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
# .mvn/maven.config restricts the ND4J natives to linux-x86_64, so it must be there before any resolution.
COPY pom.xml ./
COPY .mvn/ .mvn/
# Dependencies in a layer of their own: editing the sources does not download them again.
RUN mvn -B -ntp -q dependency:resolve
COPY src/main/ src/main/
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
# The entrypoint adds jdk.incubator.vector (the step kernel's vector loops); a base image whose runtime lacks it
# would fail every start, so the build fails here instead.
RUN java --list-modules | grep -q '^jdk.incubator.vector@' \
 || { echo "this JRE lacks jdk.incubator.vector: drop --add-modules from ENTRYPOINT (the kernel then runs its scalar loops)" >&2; exit 1; }
RUN groupadd --system --gid 10001 sensorcast \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/sensorcast \
      --shell /usr/sbin/nologin sensorcast \
 && mkdir -p /var/lib/sensorcast /etc/sensorcast \
 && chown 10001:10001 /var/lib/sensorcast
# Libraries first: they change far less often than the application jar.
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/sensorcast.jar /app/sensorcast.jar
COPY models/ /app/models/
WORKDIR /app
USER 10001:10001
EXPOSE 8080
# JavaCPP unpacks ND4J's natives into its cache directory, by default under $HOME: /tmp stays writable
# when the root filesystem is read-only. A JVM out of memory exits so the orchestrator restarts it. The Vector API
# module lets the step kernel run its vector loops; the JVM notes it with one "Using incubator modules" line.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp", "-jar", "/app/sensorcast.jar"]
CMD ["run", "--config", "/etc/sensorcast/pipeline.yaml", "--role", "all"]
