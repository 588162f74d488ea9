using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class BankRulesTests
{
    [TestCase("GB82WEST12345698765432")]
    [TestCase("DE89370400440532013000")]
    [TestCase("FR1420041010050500013M02606")]
    [TestCase("NL91ABNA0417164300")]
    [TestCase("CH9300762011623852957")]
    [TestCase("BE68539007547034")]
    [TestCase("gb82 west 1234 5698 7654 32")]
    [TestCase("DE89 3704 0044 0532 0130 00")]
    public void IbanIsValid_WhenChecksumMatches_ShouldBeTrue(string iban) =>
        Assert.That(Iban.IsValid(iban), Is.True);

    [TestCase("GB82WEST12345698765433", Description = "last digit changed")]
    [TestCase("GB28WEST12345698765432", Description = "check digits swapped")]
    [TestCase("DE89370400440532013001", Description = "last digit changed")]
    [TestCase("DE98370400440532013000", Description = "check digits swapped")]
    [TestCase("DE89370400440523013000", Description = "two digits transposed")]
    [TestCase("XX82WEST12345698765432", Description = "unknown country")]
    [TestCase("GBXXWEST12345698765432", Description = "check digits not digits")]
    [TestCase("GB82WEST1234", Description = "too short")]
    [TestCase("GB82WEST123456987654321234567890123", Description = "too long")]
    [TestCase("GB82-WEST-1234-5698-7654-32", Description = "punctuation")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void IbanIsValid_WhenMalformedOrChecksumWrong_ShouldBeFalse(string? iban) =>
        Assert.That(Iban.IsValid(iban), Is.False);

    [Test]
    public void IbanNormalize_ShouldDropSpacesAndUpperCase() =>
        Assert.That(Iban.Normalize("gb82 west 1234 5698 7654 32"), Is.EqualTo("GB82WEST12345698765432"));

    [TestCase("021000021")]
    [TestCase("011000015")]
    [TestCase("121000358")]
    [TestCase("026009593")]
    public void IsValidRoutingNumber_WhenChecksumMatches_ShouldBeTrue(string routingNumber) =>
        Assert.That(UsBankAccount.IsValidRoutingNumber(routingNumber), Is.True);

    [TestCase("021000022", Description = "checksum off by one")]
    [TestCase("120000021", Description = "digits transposed")]
    [TestCase("02100002", Description = "8 digits")]
    [TestCase("0210000210", Description = "10 digits")]
    [TestCase("02100002A")]
    [TestCase("")]
    [TestCase(null)]
    public void IsValidRoutingNumber_WhenMalformedOrChecksumWrong_ShouldBeFalse(string? routingNumber) =>
        Assert.That(UsBankAccount.IsValidRoutingNumber(routingNumber), Is.False);

    [TestCase("1234")]
    [TestCase("000123456789")]
    [TestCase("12345678901234567")]
    public void IsValidAccountNumber_WhenFourToSeventeenDigits_ShouldBeTrue(string accountNumber) =>
        Assert.That(UsBankAccount.IsValidAccountNumber(accountNumber), Is.True);

    [TestCase("123")]
    [TestCase("123456789012345678")]
    [TestCase("1234-5678")]
    [TestCase("12 34")]
    [TestCase("")]
    [TestCase(null)]
    public void IsValidAccountNumber_WhenTooShortTooLongOrNotDigits_ShouldBeFalse(string? accountNumber) =>
        Assert.That(UsBankAccount.IsValidAccountNumber(accountNumber), Is.False);

    [TestCase("DEUTDEFF")]
    [TestCase("DEUTDEFF500")]
    [TestCase("NWBKGB2L")]
    public void SwiftBicIsValid_WhenEightOrElevenCharacters_ShouldBeTrue(string bic) =>
        Assert.That(SwiftBic.IsValid(bic), Is.True);

    [TestCase("DEUTDEF")]
    [TestCase("DEUTDEFF50")]
    [TestCase("deutdeff")]
    [TestCase("1EUTDEFF")]
    [TestCase(null)]
    public void SwiftBicIsValid_WhenMalformed_ShouldBeFalse(string? bic) =>
        Assert.That(SwiftBic.IsValid(bic), Is.False);
}
