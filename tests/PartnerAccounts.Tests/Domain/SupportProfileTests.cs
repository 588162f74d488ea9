using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class SupportProfileTests
{
    private static readonly DateTime Now = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [TestCase(null, null, null)]
    [TestCase("", " ", "\t")]
    public void Replace_WhenNoChannelIsGiven_ShouldFailAndKeepTheProfile(string? email, string? phone, string? website)
    {
        var profile = SupportProfile.Create(Guid.NewGuid(), "help@contoso.example", Now);

        var result = profile.Replace(email, phone, website, Now.AddDays(1));

        Assert.That(result.IsSuccess, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo("support_channel_required"));
            Assert.That(result.Error.Kind, Is.EqualTo(ErrorKind.Validation));
            Assert.That(result.Error.FieldErrors, Is.Not.Null.And.Not.Empty);
            Assert.That(profile.Email, Is.EqualTo("help@contoso.example"));
            Assert.That(profile.Version, Is.EqualTo(1));
            Assert.That(profile.UpdatedAt, Is.EqualTo(Now));
        });
    }

    [TestCase("help@contoso.example", null, null)]
    [TestCase(null, "+1 425 555 0100", null)]
    [TestCase(null, null, "https://contoso.example/support")]
    public void Replace_WhenAnyOneChannelIsGiven_ShouldReplaceAllAndBumpTheVersion(string? email, string? phone, string? website)
    {
        var profile = SupportProfile.Create(Guid.NewGuid(), "old@contoso.example", Now);

        var result = profile.Replace(email, phone, website, Now.AddDays(1));

        Assert.That(result.IsSuccess, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(profile.Email, Is.EqualTo(email));
            Assert.That(profile.PhoneNumber, Is.EqualTo(phone));
            Assert.That(profile.Website, Is.EqualTo(website));
            Assert.That(profile.Version, Is.EqualTo(2));
            Assert.That(profile.UpdatedAt, Is.EqualTo(Now.AddDays(1)));
        });
    }
}
