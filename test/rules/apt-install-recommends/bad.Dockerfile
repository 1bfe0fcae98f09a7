# A Rails app on Debian: apt pulls in every recommended package too.
FROM ruby:3.3-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive RAILS_ENV=production
# expect: apt-install-recommends
RUN apt-get update && apt-get install -y \
      build-essential \
      libpq-dev \
      nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
 && bundle install --jobs 4
COPY . .
# expect: apt-install-recommends
RUN apt-get update && apt install -y imagemagick && rm -rf /var/lib/apt/lists/*
USER 1000:1000
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
