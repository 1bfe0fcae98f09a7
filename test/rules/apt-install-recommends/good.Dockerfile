# The same Rails app: only what each package depends on.
FROM ruby:3.3-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive RAILS_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential \
      libpq-dev \
      nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
 && bundle install --jobs 4
COPY . .
RUN apt-get update \
 && apt-get install -y -o APT::Install-Recommends=false imagemagick \
 && rm -rf /var/lib/apt/lists/*
USER 1000:1000
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
