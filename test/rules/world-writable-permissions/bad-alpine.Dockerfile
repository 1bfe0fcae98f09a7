# An Alpine image for a Python worker, with the usual permission shortcuts.
FROM python:3.12-alpine
RUN addgroup -S app && adduser -S -G app app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# expect: world-writable-permissions
RUN mkdir -m 0777 /data
# A sticky bit does not make a non-scratch folder safe.
# expect: world-writable-permissions
RUN mkdir -p /app/spool && chmod 1777 /app/spool
# expect: world-writable-permissions*2
RUN find /app -type d -exec chmod 0757 {} + && sh -c 'chmod o+w,g+w /app/config.yaml'
# expect: world-writable-permissions
RUN chmod 666 /app/settings.ini
# Every image built FROM this one opens its /app/var too.
# expect: world-writable-permissions
ONBUILD RUN mkdir -p /app/var && chmod 777 /app/var
USER app
CMD ["python", "-m", "worker"]
