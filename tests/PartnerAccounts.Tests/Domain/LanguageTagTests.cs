using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class LanguageTagTests
{
    [TestCase("en")]
    [TestCase("de")]
    [TestCase("fil")]
    [TestCase("en-US")]
    [TestCase("pt-br")]
    [TestCase("zh-Hans-CN")]
    [TestCase("es-419")]
    [TestCase("sl-rozaj-biske")]
    public void IsValid_WhenTagIsWellFormed_ShouldBeTrue(string tag) => Assert.That(LanguageTag.IsValid(tag), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("e")]
    [TestCase("engl")]
    [TestCase("en-")]
    [TestCase("-en")]
    [TestCase("en_US")]
    [TestCase("en US")]
    [TestCase(" en")]
    [TestCase("en\n")]
    [TestCase("en-abcdefghi")]
    [TestCase("1n")]
    public void IsValid_WhenTagIsMalformed_ShouldBeFalse(string? tag) => Assert.That(LanguageTag.IsValid(tag), Is.False);

    [Test]
    public void IsValid_WhenTagIsLongerThanTheLimit_ShouldBeFalse()
    {
        var atLimit = "en" + string.Concat(Enumerable.Repeat("-abcdefgh", 3)) + "-abcde";
        Assert.That(atLimit, Has.Length.EqualTo(FieldLimits.Language));
        Assert.That(LanguageTag.IsValid(atLimit), Is.True);
        Assert.That(LanguageTag.IsValid(atLimit + "b"), Is.False);
    }
}
