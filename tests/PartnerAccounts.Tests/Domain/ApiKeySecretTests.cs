using System.Security.Cryptography;
using System.Text;
using PartnerAccounts.Domain.ApiKeys;

namespace PartnerAccounts.Tests.Domain;

public sealed class ApiKeySecretTests
{
    [Test]
    public void Generate_Always_ShouldGiveAPrefixedSecretAndItsSha256()
    {
        var key = ApiKeySecret.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(key.Secret, Does.Match("^pak_[a-z2-7]{8}_[a-z2-7]{52}$"));
            Assert.That(key.Secret, Has.Length.EqualTo(ApiKeySecret.Length));
            Assert.That(key.Secret, Does.StartWith($"pak_{key.Prefix}_"));
            Assert.That(key.Hash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(key.Secret))));
        });
    }

    [Test]
    public void Generate_TwiceOver_ShouldNeverRepeatASecretOrPrefix()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.That(keys.Select(k => k.Secret).Distinct().Count(), Is.EqualTo(1000));
        Assert.That(keys.Select(k => k.Prefix).Distinct().Count(), Is.EqualTo(1000));
    }

    [Test]
    public void TryGetPrefix_ForAGeneratedSecret_ShouldFindItsPrefix()
    {
        var key = ApiKeySecret.Generate();

        Assert.That(ApiKeySecret.TryGetPrefix(key.Secret, out var prefix), Is.True);
        Assert.That(prefix.ToString(), Is.EqualTo(key.Prefix));
    }

    [TestCase("")]
    [TestCase("pak_")]
    [TestCase("not-a-key")]
    [TestCase("pak_abcdefgh-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("xyz_abcdefgh_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("pak_abcdefgh_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void TryGetPrefix_ForAnythingElse_ShouldRefuse(string presented) =>
        Assert.That(ApiKeySecret.TryGetPrefix(presented, out _), Is.False);

    [Test]
    public void Hash_IntoASpan_ShouldEqualTheAllocatingHash()
    {
        var key = ApiKeySecret.Generate();
        Span<byte> hash = stackalloc byte[ApiKeySecret.HashLength];

        ApiKeySecret.Hash(key.Secret, hash);

        Assert.That(hash.ToArray(), Is.EqualTo(ApiKeySecret.Hash(key.Secret)));
    }
}
