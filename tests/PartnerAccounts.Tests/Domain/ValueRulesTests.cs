using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class ValueRulesTests
{
    [TestCase("1", true)]
    [TestCase("1234567", true)]
    [TestCase("1234567890", true)]
    [TestCase("12345678901", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    [TestCase("12a4567", false)]
    [TestCase("-123", false)]
    [TestCase("１２３", false)]
    public void MpnIdentifier_ShouldAcceptOneToTenAsciiDigits(string? value, bool valid) =>
        Assert.That(MpnIdentifier.IsValid(value), Is.EqualTo(valid));

    [TestCase("pat@example.com", true)]
    [TestCase("pat.lee+tag@sub.example.co.uk", true)]
    [TestCase("pat@", false)]
    [TestCase("@example.com", false)]
    [TestCase("pat@example", false)]
    [TestCase("pat lee@example.com", false)]
    [TestCase("pat@exa_mple.com", false)]
    public void EmailAddress_ShouldValidateAddresses(string value, bool valid) =>
        Assert.That(EmailAddress.IsValid(value), Is.EqualTo(valid));

    [Test]
    public void EmailAddress_WhenLongerThanTheLimit_ShouldBeInvalid() =>
        Assert.That(EmailAddress.IsValid(new string('a', 64) + "@" + new string('b', 190) + ".com"), Is.False);

    [TestCase("US", true)]
    [TestCase("DE", true)]
    [TestCase("us", false)]
    [TestCase("XX", false)]
    [TestCase("USA", false)]
    public void CountryCode_ShouldAcceptIsoAlpha2UpperCase(string value, bool valid) =>
        Assert.That(CountryCode.IsValid(value), Is.EqualTo(valid));

    [TestCase("+1 425 555 0100", true)]
    [TestCase("(425) 555-0100", true)]
    [TestCase("+44 20 7946 0958", true)]
    [TestCase("1234", false)]
    [TestCase("call me", false)]
    [TestCase("+1 425 555 0100 ext 5", false)]
    [TestCase("1234567890123456", false)]
    public void PhoneNumber_ShouldAcceptFiveToFifteenDigits(string value, bool valid) =>
        Assert.That(PhoneNumber.IsValid(value), Is.EqualTo(valid));

    [TestCase("https://contoso.example/support", true)]
    [TestCase("http://contoso.example", true)]
    [TestCase("ftp://contoso.example", false)]
    [TestCase("javascript:alert(1)", false)]
    [TestCase("contoso.example", false)]
    public void WebUrl_ShouldAcceptHttpAndHttpsOnly(string value, bool valid) =>
        Assert.That(WebUrl.IsValid(value), Is.EqualTo(valid));
}
