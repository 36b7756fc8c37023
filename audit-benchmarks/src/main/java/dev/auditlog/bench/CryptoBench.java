package dev.auditlog.bench;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 6: the primitives behind the design choices. SHA-256 of a record-sized and a segment-chunk-sized input,
 * JDK {@link MessageDigest} vs BouncyCastle {@link SHA256Digest}; Ed25519 sign and verify of a checkpoint-sized note
 * (256 bytes), JDK {@code Signature("Ed25519")} vs BouncyCastle's low-level {@link Ed25519} (the same key).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CryptoBench {
    /** SHA-256 inputs: a record-sized body and a 64 KiB chunk. */
    @State(Scope.Thread)
    public static class Sha {
        @Param({"700", "65536"})
        public int size;

        byte[] data;
        MessageDigest jdk;
        SHA256Digest bc;
        byte[] out = new byte[32];

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            data = new byte[size];
            new Random(42).nextBytes(data);
            jdk = MessageDigest.getInstance("SHA-256");
            bc = new SHA256Digest();
            jdk.update(data);
            byte[] a = jdk.digest();
            bc.update(data, 0, data.length);
            bc.doFinal(out, 0);
            Fixtures.check(Arrays.equals(a, out), "JDK and BouncyCastle SHA-256 agree");
        }
    }

    byte[] note = new byte[256];

    Signature jdkSign;
    Signature jdkVerify;
    byte[] seed = new byte[32];
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.PublicPoint point;
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    byte[] jdkSig;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random r = new Random(42);
        r.nextBytes(note);
        r.nextBytes(seed);

        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519");
        KeyPair ignored = kpg.generateKeyPair(); // warms the provider lookup only
        Fixtures.check(ignored.getPublic() != null, "JDK Ed25519 provider present");
        var priv = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        point = Ed25519.validatePublicKeyFullExport(pk, 0);
        jdkSign = Signature.getInstance("Ed25519");
        jdkSign.initSign(priv);
        jdkSig = jdkEd25519Sign();
        Fixtures.check(Arrays.equals(jdkSig, bcEd25519Sign()), "JDK and BouncyCastle Ed25519 signatures are identical");
        var pub = java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(
                x509(pk)));
        jdkVerify = Signature.getInstance("Ed25519");
        jdkVerify.initVerify(pub);
        Fixtures.check(jdkEd25519Verify() && bcEd25519Verify(), "both verify the signature");
    }

    private static byte[] x509(byte[] raw) {
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] der = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        return der;
    }

    @Benchmark
    public byte[] jdkSha256(Sha s) {
        s.jdk.update(s.data);
        return s.jdk.digest();
    }

    @Benchmark
    public byte[] bcSha256(Sha s) {
        s.bc.update(s.data, 0, s.data.length);
        s.bc.doFinal(s.out, 0);
        return s.out;
    }

    @Benchmark
    public byte[] jdkEd25519Sign() throws Exception {
        jdkSign.update(note);
        return jdkSign.sign();
    }

    @Benchmark
    public byte[] bcEd25519Sign() {
        Ed25519.sign(seed, 0, pk, 0, note, 0, note.length, sig, 0);
        return sig;
    }

    @Benchmark
    public boolean jdkEd25519Verify() throws Exception {
        jdkVerify.update(note);
        return jdkVerify.verify(jdkSig);
    }

    @Benchmark
    public boolean bcEd25519Verify() {
        return Ed25519.verify(jdkSig, 0, point, note, 0, note.length);
    }
}
