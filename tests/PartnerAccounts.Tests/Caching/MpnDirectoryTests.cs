using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Tests.Caching;

public sealed class MpnDirectoryTests
{
    private static readonly Guid Contoso = Guid.NewGuid();
    private static readonly Guid Fabrikam = Guid.NewGuid();

    private sealed class FakeSource : IMpnLookupSource
    {
        public Dictionary<string, MpnRow> Rows { get; } = [];

        public int Queries { get; private set; }

        public ValueTask<MpnRow?> FindAsync(string mpnId, CancellationToken cancellationToken)
        {
            Queries++;
            return ValueTask.FromResult(Rows.TryGetValue(mpnId, out var row) ? row : (MpnRow?)null);
        }
    }

    private static (MpnDirectory Directory, FakeSource Source) NewDirectory(int capacity = 1000)
    {
        var source = new FakeSource();
        source.Rows["1000001"] = new MpnRow(Contoso, IsCurrent: true, IsActive: true, "Contoso Ltd");
        source.Rows["1000002"] = new MpnRow(Contoso, IsCurrent: true, IsActive: true, "Contoso Ltd");
        source.Rows["2000001"] = new MpnRow(Fabrikam, IsCurrent: true, IsActive: true, "Fabrikam Ltd");
        return (new MpnDirectory(source, new MpnDirectoryOptions { CacheCapacity = capacity }), source);
    }

    [Test]
    public async Task FindPartnerName_Twice_ShouldQueryOnce()
    {
        var (directory, source) = NewDirectory();

        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(source.Queries, Is.EqualTo(1));
    }

    [Test]
    public async Task FindPartnerName_ForAnUnknownId_ShouldCacheTheMissToo()
    {
        var (directory, source) = NewDirectory();

        Assert.That(await directory.FindPartnerNameAsync("9999999", default), Is.Null);
        Assert.That(await directory.FindPartnerNameAsync("9999999", default), Is.Null);
        Assert.That(source.Queries, Is.EqualTo(1));
    }

    [Test]
    public async Task FindPartnerName_ForARetiredOrClosedId_ShouldBeNull()
    {
        var (directory, source) = NewDirectory();
        source.Rows["3000001"] = new MpnRow(Fabrikam, IsCurrent: false, IsActive: true, "Fabrikam Ltd");
        source.Rows["4000001"] = new MpnRow(Guid.NewGuid(), IsCurrent: true, IsActive: false, "Closed Ltd");

        Assert.That(await directory.FindPartnerNameAsync("3000001", default), Is.Null);
        Assert.That(await directory.FindPartnerNameAsync("4000001", default), Is.Null);
    }

    [Test]
    public async Task InvalidateAccounts_AfterARename_ShouldReloadEveryIdOfThatAccountOnly()
    {
        var (directory, source) = NewDirectory();
        foreach (var id in new[] { "1000001", "1000002", "2000001" })
        {
            await directory.FindPartnerNameAsync(id, default);
        }

        source.Rows["1000001"] = source.Rows["1000001"] with { PartnerName = "Contoso Renamed" };
        source.Rows["1000002"] = source.Rows["1000002"] with { PartnerName = "Contoso Renamed" };
        directory.InvalidateAccounts(new HashSet<Guid> { Contoso });

        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Renamed"));
        Assert.That(await directory.FindPartnerNameAsync("1000002", default), Is.EqualTo("Contoso Renamed"));
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(source.Queries, Is.EqualTo(5), "three first loads, then the two Contoso IDs again");
    }

    [Test]
    public async Task InvalidateMpnId_ForANewLocation_ShouldForgetACachedMiss()
    {
        var (directory, source) = NewDirectory();
        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.Null);

        source.Rows["5000001"] = new MpnRow(Fabrikam, IsCurrent: true, IsActive: true, "Fabrikam Ltd");
        directory.InvalidateMpnId("5000001");

        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.EqualTo("Fabrikam Ltd"));
    }

    [Test]
    public void KeyOf_ForLeadingZeros_ShouldKeepIdsApart()
    {
        Assert.That(MpnDirectory.KeyOf("0012"), Is.Not.EqualTo(MpnDirectory.KeyOf("12")));
        Assert.That(MpnDirectory.KeyOf("9999999999"), Is.Not.Null);
        Assert.That(MpnDirectory.KeyOf("12a"), Is.Null);
        Assert.That(MpnDirectory.KeyOf("12345678901"), Is.Null);
    }

    [Test]
    public async Task FindPartnerName_WithCapacityZero_ShouldAlwaysQuery()
    {
        var (directory, source) = NewDirectory(capacity: 0);

        await directory.FindPartnerNameAsync("1000001", default);
        await directory.FindPartnerNameAsync("1000001", default);

        Assert.That(source.Queries, Is.EqualTo(2));
    }
}
