package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What the store knows about a pulled image: the reference it was pulled as, the digest of the
 * platform manifest (and of the index it came from, if any), the config blob and the layers in
 * order (base first).
 */
public record ImageRecord(String reference, String indexDigest, String manifestDigest, String manifestMediaType,
                          String configDigest, List<Layer> layers, long pulledAtEpochMilli) {

    /** One layer: its blob digest, media type and compressed size. */
    public record Layer(String digest, String mediaType, long size) {
    }

    public ImageRecord {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        Objects.requireNonNull(configDigest, "configDigest");
        layers = List.copyOf(layers);
    }

    /** Every blob this image needs kept: index, manifest, config and layers. */
    public List<Digest> blobs() {
        List<Digest> out = new java.util.ArrayList<>();
        if (indexDigest != null) {
            out.add(Digest.parse(indexDigest));
        }
        out.add(Digest.parse(manifestDigest));
        out.add(Digest.parse(configDigest));
        layers.forEach(l -> out.add(Digest.parse(l.digest())));
        return out;
    }

    public List<Digest> layerDigests() {
        return layers.stream().map(l -> Digest.parse(l.digest())).toList();
    }
}
