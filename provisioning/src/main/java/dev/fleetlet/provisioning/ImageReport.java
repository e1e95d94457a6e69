package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.provisioning.image.BootFiles;
import dev.fleetlet.provisioning.image.BootSettings;
import dev.fleetlet.provisioning.image.ImageTool;
import dev.fleetlet.provisioning.image.Partition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** {@code image show} output: partition table and provisioning settings, secrets masked. */
final class ImageReport {

    private ImageReport() {
    }

    static void print(PrintWriter out, Path image, ImageTool.Inspection in, boolean json) {
        ObjectNode doc = toJson(image, in);
        if (json) {
            Output.printJson(out, doc);
            return;
        }
        out.println("image: " + image + " (" + in.kind().name().toLowerCase().replace('_', ' ') + ", "
                + in.table().diskBytes() + " bytes)");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("#", "BOOT", "TYPE", "NAME", "START", "SECTORS", "SIZE"));
        for (Partition p : in.table().partitions()) {
            rows.add(List.of(String.valueOf(p.number()), p.bootable() ? "*" : "", p.typeCode(), p.typeName(),
                    String.valueOf(p.startSector()), String.valueOf(p.sectors()), mib(p.sizeBytes())));
        }
        Output.table(out, rows);
        out.println("boot partition: " + in.boot().number() + " at byte " + in.boot().offsetBytes());
        JsonNode prov = doc.path("provisioning");
        if (prov.isMissingNode()) {
            out.println(BootFiles.PROVISIONING + ": absent (not provisioned)");
        } else {
            out.println(BootFiles.PROVISIONING + ":");
            prov.fields().forEachRemaining(e -> out.println("  " + e.getKey() + ": " + Output.text(e.getValue())));
        }
        JsonNode wifi = doc.path("wifi");
        out.println(BootFiles.WIFI + ": " + (wifi.isMissingNode() ? "absent"
                : "ssid " + wifi.path("ssid").asText() + ", psk ********" + (wifi.has("country") ? ", country " + wifi.path("country").asText() : "")));
        JsonNode ssh = doc.path("sshAuthorizedKeys");
        out.println(BootFiles.SSH_KEYS + ": " + (ssh.isMissingNode() ? "absent (SSH stays off)" : ssh.size() + " key(s): " + ssh));
        doc.path("problems").forEach(p -> out.println("problem: " + p.asText()));
        out.flush();
    }

    static ObjectNode toJson(Path image, ImageTool.Inspection in) {
        ObjectNode doc = Output.JSON.createObjectNode();
        doc.put("image", image.toString()).put("kind", in.kind().name()).put("bytes", in.table().diskBytes());
        ArrayNode parts = doc.putArray("partitions");
        for (Partition p : in.table().partitions()) {
            parts.addObject().put("number", p.number()).put("bootable", p.bootable()).put("type", p.typeCode())
                    .put("typeName", p.typeName()).put("startSector", p.startSector()).put("sectors", p.sectors());
        }
        doc.put("bootPartition", in.boot().number());
        BootFiles.Found f = in.found();
        f.provisioning().ifPresent(n -> {
            ObjectNode prov = doc.putObject("provisioning");
            prov.set("serverUrl", n.get("serverUrl"));
            prov.put("token", BootSettings.maskToken(n.path("token").asText(null)));
            if (n.hasNonNull("caCertificatePem")) {
                try {
                    X509Certificate c = BootSettings.certificates(n.get("caCertificatePem").asText()).get(0);
                    prov.put("caCertificate", c.getSubjectX500Principal().getName() + ", valid until " + c.getNotAfter().toInstant());
                } catch (IllegalArgumentException e) {
                    prov.put("caCertificate", "present but not a valid PEM certificate");
                }
            }
            if (n.hasNonNull("hostnamePattern")) {
                prov.set("hostnamePattern", n.get("hostnamePattern"));
            }
        });
        f.wifi().ifPresent(w -> {
            ObjectNode wifi = doc.putObject("wifi").put("ssid", w.ssid()).put("psk", "********");
            w.country().ifPresent(c -> wifi.put("country", c));
        });
        f.sshAuthorizedKeys().ifPresent(k -> {
            ArrayNode keys = doc.putArray("sshAuthorizedKeys");
            for (String line : k.split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    String[] w = l.split("\\s+");
                    keys.add(w.length > 2 ? w[0] + " " + w[w.length - 1] : w[0]);
                }
            }
        });
        ArrayNode problems = doc.putArray("problems");
        f.problems().forEach(problems::add);
        return doc;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
