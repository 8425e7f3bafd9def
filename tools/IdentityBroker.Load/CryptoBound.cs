using System.Diagnostics;
using System.Security.Cryptography;

namespace IdentityBroker.Load;

/// <summary>RSA-2048 PKCS#1 v1.5 and ECDSA P-256 signs and verifies per second on every core at once: the ceiling signature work puts on an operation.</summary>
public sealed record CryptoRates(double Rs256Sign, double Rs256Verify, double Rs512Sign, double Rs512Verify, double Es256Sign, double Es256Verify)
{
    /// <summary>Requests/s the cores could serve if the operation did nothing but its signatures (1 / Σ cost of each).</summary>
    public double BoundFor(SignatureCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var seconds = (cost.Rs256Verifies / Rs256Verify) + (cost.Rs512Signs / Rs512Sign) + (cost.Rs512Verifies / Rs512Verify)
            + (cost.Es256Signs / Es256Sign) + (cost.Es256Verifies / Es256Verify);
        return seconds == 0 ? double.PositiveInfinity : 1 / seconds;
    }

    /// <summary>
    /// Measures (operations per wall-clock second on every core, operations per CPU-second this process got). On a shared
    /// machine the first depends on what else runs; the second is the cost of a signature whatever the neighbours do.
    /// </summary>
    public static (CryptoRates Wall, CryptoRates PerCpuSecond) Measure(TimeSpan each)
    {
        using var rsa = RSA.Create(2048);
        var data = RandomNumberGenerator.GetBytes(700); // about the signing input of an ID token
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        var sig256 = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var sig512 = rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);
        var s256 = Rate(() => Rsa(parameters), each, k => k.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var v256 = Rate(() => Rsa(parameters), each, k => k.VerifyData(data, sig256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var s512 = Rate(() => Rsa(parameters), each, k => k.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));
        var v512 = Rate(() => Rsa(parameters), each, k => k.VerifyData(data, sig512, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecParameters = ec.ExportParameters(includePrivateParameters: true);
        var sigEs = ec.SignData(data, HashAlgorithmName.SHA256);
        var sEs = Rate(() => Ec(ecParameters), each, k => k.SignData(data, HashAlgorithmName.SHA256));
        var vEs = Rate(() => Ec(ecParameters), each, k => k.VerifyData(data, sigEs, HashAlgorithmName.SHA256));
        return (new CryptoRates(s256.Wall, v256.Wall, s512.Wall, v512.Wall, sEs.Wall, vEs.Wall),
            new CryptoRates(s256.Cpu, v256.Cpu, s512.Cpu, v512.Cpu, sEs.Cpu, vEs.Cpu));
    }

    private static RSA Rsa(RSAParameters parameters)
    {
        var key = RSA.Create();
        key.ImportParameters(parameters);
        return key;
    }

    private static ECDsa Ec(ECParameters parameters)
    {
        var key = ECDsa.Create();
        key.ImportParameters(parameters);
        return key;
    }

    /// <summary>One thread per core, each with its own key object, for <paramref name="duration"/>.</summary>
    private static (double Wall, double Cpu) Rate<TKey>(Func<TKey> newKey, TimeSpan duration, Action<TKey> operation)
        where TKey : IDisposable
    {
        var threads = Environment.ProcessorCount;
        var counts = new long[threads];
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var key = newKey();
            operation(key); // warm-up
            var local = Stopwatch.StartNew();
            long n = 0;
            while (local.Elapsed < duration)
            {
                operation(key);
                n++;
            }

            counts[t] = n;
        });
        var wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return (counts.Sum() / wall, counts.Sum() / (self.TotalProcessorTime - cpuBefore).TotalSeconds);
    }
}

/// <summary>The signature work one request of an operation needs.</summary>
public sealed record SignatureCost(int Rs256Verifies, int Rs512Signs, int Rs512Verifies, int Es256Signs = 0, int Es256Verifies = 0)
{
    public override string ToString() => string.Join(" + ", new[]
    {
        Rs256Verifies > 0 ? $"{Rs256Verifies} RS256 verify" : null,
        Rs512Signs > 0 ? $"{Rs512Signs} RS512 sign" : null,
        Rs512Verifies > 0 ? $"{Rs512Verifies} RS512 verify" : null,
        Es256Signs > 0 ? $"{Es256Signs} ES256 sign" : null,
        Es256Verifies > 0 ? $"{Es256Verifies} ES256 verify" : null,
    }.Where(s => s is not null)) is { Length: > 0 } text ? text : "none";
}
