# A Django shop whose settings were pasted into the Dockerfile "until we set up secrets".
FROM python:3.12-slim AS wheels
# The private index's deploy password is in the file, and in the build cache.
# expect: secret-in-environment
ARG PIP_EXTRA_INDEX_URL=https://deploy:not-a-real-password@pypi.example.com/simple/
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=shop.settings.production \
    # expect: secret-in-environment
    DJANGO_SECRET_KEY=django-insecure-not-a-real-key-0123456789abcdef \
    # expect: secret-in-environment
    DATABASE_URL=postgres://shop:not-a-real-password@db.internal:5432/shop
# expect: secret-in-environment*2
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
# The old `ENV NAME value` form.
# expect: secret-in-environment
ENV EMAIL_HOST_PASSWORD changeme
RUN useradd --system --uid 10001 --home-dir /srv/shop shop
WORKDIR /srv/shop
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY --chown=shop:shop . .
USER shop
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop.wsgi:application"]
