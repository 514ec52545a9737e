package dev.lanes.nn.data.fetch;

import dev.lanes.nn.data.Datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a real data set is downloaded from and what its files must hash to. The SHA-256 sums
 * are those of {@code ../shared/data/README.md} in the development workspace (checked there
 * against the publishers' MD5 sums and independent projects); the CIFAR-10 archive's sum is
 * the one several independent projects pin for the official {@code cifar-10-binary.tar.gz}
 * (170,052,171 bytes, publisher's MD5 {@code c32a1d4ab5d03f1284b67883e8d87530}).
 *
 * @param dataset the registry name ({@code mnist}, ...)
 * @param folder the sub-folder of the data directory
 * @param baseUrl the default base URL; a file's URL is the base followed by its name
 * @param files what to download
 */
public record FetchSource(String dataset, String folder, String baseUrl, List<RemoteFile> files) {
    /**
     * One file to download and its SHA-256. When {@code members} is not empty the file is an
     * archive ({@code .tar.gz}) that is not kept: its members are extracted and verified.
     *
     * @param plainSha256 SHA-256 of the decompressed content of a {@code .gz} file, so that a
     *                    copy unpacked with {@code gunzip -k} counts as present; may be null
     */
    public record RemoteFile(String name, String sha256, String plainSha256, List<ArchiveMember> members) {
        public RemoteFile {
            members = List.copyOf(members);
        }

        public boolean isArchive() {
            return !members.isEmpty();
        }

        /** The file name without {@code .gz}. */
        public String plainName() {
            return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        }
    }

    /** A file taken from an archive: its path inside it, the name it gets, and its SHA-256. */
    public record ArchiveMember(String entry, String name, String sha256) {
    }

    public FetchSource {
        files = List.copyOf(files);
    }

    /** The default source of {@code mnist}, {@code fashion-mnist} or {@code cifar10}. */
    public static FetchSource of(String dataset) {
        return switch (dataset) {
            case Datasets.MNIST -> new FetchSource(dataset, "mnist", "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    List.of(
                            gz("train-images-idx3-ubyte.gz",
                                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                            gz("train-labels-idx1-ubyte.gz",
                                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                            gz("t10k-images-idx3-ubyte.gz",
                                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                            gz("t10k-labels-idx1-ubyte.gz",
                                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")));
            case Datasets.FASHION_MNIST -> new FetchSource(dataset, "fashion-mnist",
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", List.of(
                            gz("train-images-idx3-ubyte.gz",
                                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                            gz("train-labels-idx1-ubyte.gz",
                                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                            gz("t10k-images-idx3-ubyte.gz",
                                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                            gz("t10k-labels-idx1-ubyte.gz",
                                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));
            case Datasets.CIFAR10 -> new FetchSource(dataset, "cifar-10", "https://www.cs.toronto.edu/~kriz/", List.of(
                    new RemoteFile("cifar-10-binary.tar.gz",
                            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", null, List.of(
                                    member("data_batch_1.bin",
                                            "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
                                    member("data_batch_2.bin",
                                            "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
                                    member("data_batch_3.bin",
                                            "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
                                    member("data_batch_4.bin",
                                            "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
                                    member("data_batch_5.bin",
                                            "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
                                    member("test_batch.bin",
                                            "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"),
                                    member("batches.meta.txt",
                                            "558e74b5e208382e186da55784b4bac2cd52e558448e1b5800990fdb28ed8033")))));
            default -> throw new IllegalArgumentException("'" + dataset + "' cannot be fetched (fetchable: "
                    + String.join(", ", fetchable()) + ")");
        };
    }

    /** The names {@link #of} accepts. */
    public static List<String> fetchable() {
        return List.of(Datasets.MNIST, Datasets.FASHION_MNIST, Datasets.CIFAR10);
    }

    /**
     * A copy whose expected sums are replaced by those in {@code sums} (file name to SHA-256;
     * covers downloads, their decompressed names and archive members). For a mirror that
     * serves other bytes of the same data, and for tests against a local server.
     */
    public FetchSource withChecksums(Map<String, String> sums) {
        List<RemoteFile> out = new ArrayList<>();
        for (RemoteFile f : files) {
            List<ArchiveMember> members = new ArrayList<>();
            for (ArchiveMember m : f.members()) {
                members.add(new ArchiveMember(m.entry(), m.name(), sums.getOrDefault(m.name(), m.sha256())));
            }
            out.add(new RemoteFile(f.name(), sums.getOrDefault(f.name(), f.sha256()),
                    sums.getOrDefault(f.plainName(), f.plainSha256()), members));
        }
        return new FetchSource(dataset, folder, baseUrl, out);
    }

    private static final Pattern SUM_LINE = Pattern.compile("^([0-9a-fA-F]{64})\\s+\\*?(\\S.*?)\\s*$");

    /** Reads a {@code sha256sum}-style file: one {@code HEX  NAME} per line ({@code #} comments allowed). */
    public static Map<String, String> readChecksums(Path file) throws IOException {
        Map<String, String> sums = new HashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SUM_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + " line " + lineNo + " is not 'SHA256  NAME': " + line);
            }
            String name = m.group(2);
            sums.put(name.substring(name.lastIndexOf('/') + 1), m.group(1).toLowerCase(Locale.ROOT));
        }
        return sums;
    }

    private static RemoteFile gz(String name, String sha256, String plainSha256) {
        return new RemoteFile(name, sha256, plainSha256, List.of());
    }

    private static ArchiveMember member(String name, String sha256) {
        return new ArchiveMember("cifar-10-batches-bin/" + name, name, sha256);
    }
}
