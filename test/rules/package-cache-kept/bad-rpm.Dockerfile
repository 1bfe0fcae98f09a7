# A Rocky Linux image for a Java service.
FROM rockylinux:9.3
# expect: package-cache-kept
RUN dnf -y install java-17-openjdk-headless shadow-utils \
 && useradd --system --uid 10001 app
# expect: package-cache-kept
RUN yum clean all && yum -y install fontconfig
COPY target/app.jar /opt/app/app.jar
USER 10001
CMD ["java", "-jar", "/opt/app/app.jar"]
