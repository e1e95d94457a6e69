package dev.fleetlet.oci;

import java.util.List;

/** A parsed manifest: either a multi-platform index or a single image manifest. */
public sealed interface ManifestDocument {

    /** The media type the document declared (or the registry's Content-Type when it declared none). */
    String mediaType();

    /** An OCI image index or Docker manifest list. */
    record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /** An OCI image manifest or Docker v2 schema 2 manifest. */
    record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
        public Image {
            layers = List.copyOf(layers);
        }
    }
}
