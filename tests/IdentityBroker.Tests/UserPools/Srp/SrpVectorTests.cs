using System.Globalization;
using System.Numerics;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Tests.UserPools.Srp;

/// <summary>
/// Fixed vectors computed with amazon-cognito-identity-js 6.3.21's own AuthenticationHelper (pool "abcDEF123", user
/// "alice", password "Correct-horse1!", a = "1234567890abcdef"×16, b = "fedcba0987654321"×4): k, the verifier, A, B,
/// the HKDF session key and a PASSWORD_CLAIM_SIGNATURE over a known secret block and timestamp.
/// </summary>
public sealed class SrpVectorTests
{
    private const string Pool = "abcDEF123";
    private const string User = "alice";
    private const string Password = "Correct-horse1!";
    private const string SaltHex = "00f3a1c2d4e5b60718293a4b5c6d7e8f90";
    private const string LibraryK = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
    private const string LibraryVerifier = "0084e38ffd0ae17e8da2af9c2739c9cf6a8f25225c3520d67712f457efc1eaf2560ebc6b176bc982d02f211ab01037f17bf7e636dc3b3ef8d099f061b25d93ae3f01076ff8526695dd8d16c82ac2e527f9d3db57f7dba986fa32803c2ed54240f7f7feb109b56078928a3238c0be6f7206075f6196b36a671e98391b3d19b80009457f20a9f0b150fd828429612fe8f12ef822fbc5c235c9f093a937486e7d7c7777aeaab1603546bb548c1d7892c20cc49d90f855569692592e98c1c25fe93e49d44d8b48589a3a526a15bee731845f6ebd1e5d65de9918f6a49d9db12857167c41b1c988c6c04e78aaa3a4c1e3561ffd14f0fb6ae89bde9bd6263956b4ddedc3936d182f6ff4c87dfa2e1bc47a62cc23c33bb62d6c7201af8de23b87695c61802c4818becfe545dbda1be90ad493290700852d18df094353441deae5d815a1bfc23eee837534b9db65fb626d27f16fa7cba4187cae78787804c577e6bb41a8278bf2d789002be16ee6627bf6001c89aa72da196d5fcbdb79ec8f437e50faf78e";
    private const string LibraryA = "87ef46e6f23037298b68c9527f88af1cf90151a2246908b3a011df7c24e0a982d7b9294aa7a6ea4c1d23f6d327a0e890bf350612fe5e9e9ca2f5274217124f89f08c325dfa1ea7c176ff3845adf0bd3505bc955b2ddab697c3d7f1412ab47b14b20b9979de107fd8d4d60c6a958170fef3665fee5b1e3944290bd2c7e97174bd4f3c7ec8a69a5b90fde2d3bfee2535efa64e34d96156528ed87cb62440054d0150cb5425dade3372615c79c7181acd25f1061da667a5694941fd5101d6210af63b9fac8fea9b0e957817842df2a2e77280d3c48e3e3387adf138ea78379ea7cfe3fc2214ffe06af24a216680aebc78c47bf995c7cd3b2c7a1d2b5081a0d4369409e45f5433e65fb805f57e76d5eea7de2adefa7ddb0e20a9d5f7f86e43a6ce5ad5158e00c6073076c73749d8dadff58dc7060b982f2971357789b8228d42b184da440dad64ae8b9f97003e8cd3100fb807fba0f32402a365ecae4330fe5ca87da96f3422aa04a88be63b0efb796046f641e54e0551cf7d2d8f9b973ef4cc29df";
    private const string LibraryB = "1ca3921284cab52506ebb61464dde9d3ab8a21d6df7ac2345183c20350c5ee7720bfbb990ba0e2a2d4c399998ed43f3a3fed0234331d963b20fc28f75c9f1c1df03a194c913530d9fcbb9122b6e07e8b5a05263aecbfc314a3bcbf04389524653dc78a591318e41fc48542054049ce6489b72570c54ebf1f7c5ce9a35261704e663d2f6cb14cd4204a38e55a14e72e43b0aeac5cad9b6da49b49ab23a3d32692db9d7eebe53604d133f9f8a6c3eb6db980d13e880e44e579496c12175a699a1e8f68d567988a27f173d4f23e731c980b3e80481f7539e8799fc13ba28d3e909ca55c1f12b447c928f5a0d90c7e59aa93c2a40fb5615ba9f28924e33f7a048f806bbd5bdec7788c69adce2b8c5819fc7469095e645cbbfe3624ddbeda0d0d9cf005ff842eaf9378fa6648209cc734612674d8af0b0b7d9817a547d34af481ed78bb20b26977ba285a4d47e936e8a049874890b5deef8e8a701e6dae4df9b65e91f07ece74528723d7311ce27816384a163708e2880c2b8afffbf195a66efb64a8";
    private const string LibraryKey = "10a0d2caa04b45868a65e60c686b9335";

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static SrpVerifier LibraryUserVerifier() => SrpVerifier.Create(Pool, User, Password, Hex(SaltHex));

    [Test]
    public void K_is_the_hash_of_padHex_N_and_padHex_g_as_the_library_computes_it() =>
        Assert.That(SrpGroup.K.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'), Is.EqualTo(LibraryK));

    [Test]
    public void N_is_the_3072_bit_RFC_5054_prime_and_g_is_2()
    {
        Assert.That(SrpGroup.N.GetBitLength(), Is.EqualTo(3072));
        Assert.That(SrpGroup.G, Is.EqualTo(new BigInteger(2)));
        Assert.That(SrpGroup.PadHex(SrpGroup.N), Does.StartWith("00ffffffffffffffffc90fdaa2"));
    }

    [Test]
    public void Verifier_is_g_to_the_x_with_x_over_padded_salt_and_pool_user_colon_password()
    {
        var verifier = LibraryUserVerifier();
        Assert.That(verifier.Salt, Is.EqualTo(SaltHex));
        Assert.That(verifier.Verifier, Is.EqualTo(LibraryVerifier));
    }

    [Test]
    public void Server_B_and_session_key_equal_the_library_values_for_fixed_a_and_b()
    {
        var challenge = SrpServer.Start(LibraryUserVerifier(), Hex(LibraryA), Hex("fedcba0987654321fedcba0987654321fedcba0987654321fedcba0987654321"));

        Assert.That(challenge.IsSuccess, Is.True);
        Assert.That(challenge.Value.SrpB, Is.EqualTo(LibraryB));
        Assert.That(challenge.Value.Salt, Is.EqualTo(SaltHex));
        Assert.That(Convert.ToHexStringLower(challenge.Value.SessionKey), Is.EqualTo(LibraryKey));
    }

    [Test]
    public void Client_A_from_fixed_a_equals_the_library_value() =>
        Assert.That(new SrpTestClient(Hex("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef")).SrpA,
            Is.EqualTo(LibraryA));

    [Test]
    public void Signature_is_the_library_HMAC_over_pool_user_secret_block_and_timestamp()
    {
        var signature = SrpServer.Signature(Convert.FromHexString(LibraryKey), Pool, User,
            "secret-block-bytes"u8.ToArray(), "Tue Sep 5 07:04:09 UTC 2023");
        Assert.That(Convert.ToBase64String(signature), Is.EqualTo("Jve+urGLAvmH853Wc4R2Aa1DwzmdxDsmndt1pXyX+t0="));
    }

    // The library's padHex examples: a leading 00 when the top bit is set, an even number of digits always.
    [TestCase(20, "14")]
    [TestCase(56, "38")]
    [TestCase(236, "00ec")]
    [TestCase(200, "00c8")]
    [TestCase(0, "00")]
    [TestCase(15, "0f")]
    [TestCase(0x80, "0080")]
    [TestCase(0x7f_ff, "7fff")]
    [TestCase(0x1_00, "0100")]
    public void PadHex_follows_the_library_for_non_negative_values(int value, string expected) =>
        Assert.That(SrpGroup.PadHex(value), Is.EqualTo(expected));

    [Test]
    public void PadHex_refuses_negative_values_the_server_never_has() =>
        Assert.That(() => SrpGroup.PadHex(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
}
