-- Releases and registry credentials (fleet-server, package dev.fleetlet.server.release).
-- Portable SQL: runs on H2 2.x and PostgreSQL 13+. Large texts are VARCHAR(1000000) (both accept it;
-- the HTTP request limit keeps real values far below).

-- Credentials the server uses to resolve image tags, one row per registry host as written in image
-- references (ghcr.io, registry.example:5000). The password/token is AES-256-GCM encrypted
-- (see SecretCipher); the API never returns it.
CREATE TABLE registry_credentials (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,
    host        VARCHAR(255) NOT NULL,
    username    VARCHAR(255) NOT NULL,
    secret_enc  VARCHAR(4000) NOT NULL,
    description VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(64),
    CONSTRAINT uq_registry_credentials_host UNIQUE (host)
);

-- An immutable, digest-pinned release of an app spec. spec_json is the canonical JSON of the pinned spec
-- (what devices receive); compose is the text as submitted; source_digest is the sha256 of the canonical
-- JSON of the spec before pinning (decides whether a repeated create is the same release).
CREATE TABLE releases (
    id            VARCHAR(128) NOT NULL PRIMARY KEY,
    name          VARCHAR(64)  NOT NULL,
    version       VARCHAR(64)  NOT NULL,
    notes         VARCHAR(4000),
    spec_json     VARCHAR(1000000) NOT NULL,
    spec_digest   VARCHAR(80)  NOT NULL,
    source_digest VARCHAR(80)  NOT NULL,
    compose       VARCHAR(1000000) NOT NULL,
    requires_json VARCHAR(4000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(64),
    CONSTRAINT uq_releases_name_version UNIQUE (name, version)
);
CREATE INDEX ix_releases_name ON releases (name, created_at);

-- The digest each service's image tag resolved to when the release was created.
CREATE TABLE release_images (
    release_id VARCHAR(128) NOT NULL,
    service    VARCHAR(64)  NOT NULL,
    image      VARCHAR(600) NOT NULL,
    pinned     VARCHAR(700) NOT NULL,
    digest     VARCHAR(80)  NOT NULL,
    media_type VARCHAR(128),
    CONSTRAINT pk_release_images PRIMARY KEY (release_id, service),
    CONSTRAINT fk_release_images_release FOREIGN KEY (release_id) REFERENCES releases (id) ON DELETE CASCADE
);
