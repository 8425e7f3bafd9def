using IdentityBroker.UserPools.SelfService;

namespace IdentityBroker.Tests.UserPools.SelfService;

/// <summary>Destinations masked as Cognito masks them in CodeDeliveryDetails.</summary>
[TestFixture]
public sealed class CodeDeliveryDetailsTests
{
    [TestCase("alice@example.com", "a***@e***.com")]
    [TestCase("bob.smith@mail.example.co.uk", "b***@m***.uk")]
    [TestCase("x@localhost", "x***@l***")]
    public void An_email_keeps_the_first_letters_of_its_parts_and_the_last_domain_label(string email, string masked) =>
        Assert.That(CodeDeliveryDetails.For("email", email), Is.EqualTo(new CodeDeliveryDetails(masked, "EMAIL", "email")));

    [TestCase("+12065551234", "+*******1234")]
    [TestCase("+123", "+123")]
    public void A_phone_number_keeps_its_plus_and_last_four_digits(string phone, string masked) =>
        Assert.That(CodeDeliveryDetails.For("phone_number", phone), Is.EqualTo(new CodeDeliveryDetails(masked, "SMS", "phone_number")));
}
