using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Tests.Signing;

public sealed class SignatureErrorsTests
{
    [TestCase(SignatureFailure.Missing, "MissingAuthenticationTokenException", 400)]
    [TestCase(SignatureFailure.Incomplete, "IncompleteSignatureException", 400)]
    [TestCase(SignatureFailure.UnknownAccessKey, "UnrecognizedClientException", 400)]
    [TestCase(SignatureFailure.Mismatch, "InvalidSignatureException", 400)]
    [TestCase(SignatureFailure.Expired, "InvalidSignatureException", 400)]
    public void Json_errors_use_the_json_front_end_names_and_status(SignatureFailure failure, string type, int status)
    {
        var error = SignatureErrors.ForJson(new SignatureVerification(null, failure, "the message"));

        Assert.That(error, Is.EqualTo(new IdentityBroker.Errors.AwsError(type, "the message", status)));
    }

    [TestCase(SignatureFailure.Missing, "MissingAuthenticationToken", 403)]
    [TestCase(SignatureFailure.Incomplete, "IncompleteSignature", 400)]
    [TestCase(SignatureFailure.UnknownAccessKey, "InvalidClientTokenId", 403)]
    [TestCase(SignatureFailure.Mismatch, "SignatureDoesNotMatch", 403)]
    [TestCase(SignatureFailure.Expired, "SignatureDoesNotMatch", 403)]
    public void Query_errors_use_the_iam_and_sts_names_and_status(SignatureFailure failure, string type, int status)
    {
        var error = SignatureErrors.ForQuery(new SignatureVerification(null, failure, "the message"));

        Assert.That(error, Is.EqualTo(new IdentityBroker.Errors.AwsError(type, "the message", status)));
    }

    [Test]
    public void A_valid_verification_has_no_error()
    {
        var valid = new SignatureVerification(new SigningPrincipal("AKID", "s", "arn:aws:iam::000000000000:root", "000000000000", true), null, "");

        Assert.Multiple(() =>
        {
            Assert.That(() => SignatureErrors.ForJson(valid), Throws.ArgumentException);
            Assert.That(() => SignatureErrors.ForQuery(valid), Throws.ArgumentException);
        });
    }
}
