using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Srp;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Load.UserPools;

/// <summary>The cryptography one user-pool request needs on the server: what its bound is computed from.</summary>
public sealed record UserPoolCost(int ModPows, int Rs256Signs, int Rs256Verifies, int PasswordVerifies)
{
    public override string ToString() => string.Join(" + ", new[]
    {
        ModPows > 0 ? $"{ModPows} ModPow-3072/256" : null,
        Rs256Signs > 0 ? $"{Rs256Signs} RS256 sign" : null,
        Rs256Verifies > 0 ? $"{Rs256Verifies} RS256 verify" : null,
        PasswordVerifies > 0 ? $"{PasswordVerifies} password verify" : null,
    }.Where(s => s is not null));
}

/// <summary>
/// Rates of the user-pool primitives on every core at once: a 3072-bit <see cref="BigInteger.ModPow"/> with a 256-bit
/// exponent (what SRP's server half is made of), RSA-2048 RS256 sign and verify (the pool's tokens), and the broker's own
/// <see cref="PasswordHashes.Verify"/> at the configured iteration count.
/// </summary>
public sealed record UserPoolCryptoRates(double ModPow, double Rs256Sign, double Rs256Verify, double PasswordVerify)
{
    /// <summary>Requests/s the cores could serve if the request did nothing but its cryptography (1 / Σ cost of each).</summary>
    public double BoundFor(UserPoolCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var seconds = (cost.ModPows / ModPow) + (cost.Rs256Signs / Rs256Sign) + (cost.Rs256Verifies / Rs256Verify) + (cost.PasswordVerifies / PasswordVerify);
        return seconds == 0 ? double.PositiveInfinity : 1 / seconds;
    }

    /// <summary>(operations per wall-clock second on every core, operations per CPU-second this process got).</summary>
    public static (UserPoolCryptoRates Wall, UserPoolCryptoRates PerCpuSecond) Measure(TimeSpan each, int passwordIterations)
    {
        var basis = (SrpGroup.Random(400) % SrpGroup.N) + 2;
        var modPow = Rate(each, () => BigInteger.ModPow(basis, SrpGroup.Random(32), SrpGroup.N));
        using var rsa = RSA.Create(2048);
        var data = RandomNumberGenerator.GetBytes(700); // about the signing input of an ID token
        var signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        var sign = Rate(each, Keyed(parameters, k => k.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        var verify = Rate(each, Keyed(parameters, k => k.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        var hashes = new PasswordHashes(Options.Create(new PasswordHashingOptions { IterationCount = passwordIterations }));
        var stored = hashes.Hash("Load-Passw0rd!");
        var password = Rate(each, () => hashes.Verify(stored, "Load-Passw0rd!"));
        return (new UserPoolCryptoRates(modPow.Wall, sign.Wall, verify.Wall, password.Wall),
            new UserPoolCryptoRates(modPow.Cpu, sign.Cpu, verify.Cpu, password.Cpu));
    }

    /// <summary>An operation on a key object of the calling thread's own (RSA objects are not shared between threads).</summary>
    private static Action Keyed(RSAParameters parameters, Action<RSA> operation)
    {
        var local = new ThreadLocal<RSA>(() =>
        {
            var key = RSA.Create();
            key.ImportParameters(parameters);
            return key;
        });
        return () => operation(local.Value!);
    }

    /// <summary>One thread per core for <paramref name="duration"/>, after one warm-up call each.</summary>
    private static (double Wall, double Cpu) Rate(TimeSpan duration, Action operation)
    {
        var threads = Environment.ProcessorCount;
        var counts = new long[threads];
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            operation();
            var local = Stopwatch.StartNew();
            long n = 0;
            while (local.Elapsed < duration)
            {
                operation();
                n++;
            }

            counts[t] = n;
        });
        var wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return (counts.Sum() / wall, counts.Sum() / (self.TotalProcessorTime - cpuBefore).TotalSeconds);
    }
}
