# A Python CLI image: the shell-form CMD reaches the exec-form ENTRYPOINT as
# the arguments /bin/sh -c "serve --port 8000".
FROM python:3.12-slim
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001
ENTRYPOINT ["python", "-m", "reports"]
# expect: shell-form-command
CMD serve --port 8000
