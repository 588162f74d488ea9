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

        public int Passes { get; private set; }

        public List<MpnSnapshot?> Recycled { get; } = [];

        /// <summary>When set, a pass copies the rows as they are when it starts, then waits for this before it returns.</summary>
        public TaskCompletionSource? PassGate { get; set; }

        public ValueTask<MpnRow?> FindAsync(string mpnId, CancellationToken cancellationToken)
        {
            Queries++;
            return ValueTask.FromResult(Rows.TryGetValue(mpnId, out var row) ? row : (MpnRow?)null);
        }

        /// <summary>What the source answers when asked whether nothing changed since a copy was read.</summary>
        public bool Unchanged { get; set; }

        public ValueTask<bool> IsUnchangedSinceAsync(MpnSnapshot copy, CancellationToken cancellationToken) => ValueTask.FromResult(Unchanged);

        public async Task<MpnSnapshot?> ReadSnapshotAsync(int capacity, long generation, MpnSnapshot? recycled, CancellationToken cancellationToken)
        {
            Passes++;
            Recycled.Add(recycled);
            if (Rows.Count > capacity)
            {
                return null;
            }

            var copy = MpnSnapshot.FromRows(Rows.ToList(), generation);
            if (PassGate is { } gate)
            {
                await gate.Task;
            }

            return copy;
        }
    }

    private static (MpnDirectory Directory, FakeSource Source) NewDirectory(
        int capacity = 1000, int snapshotCapacity = MpnDirectoryOptions.DefaultSnapshotCapacity, TimeSpan? maxAge = null)
    {
        var source = new FakeSource();
        source.Rows["1000001"] = new MpnRow(Contoso, IsCurrent: true, IsActive: true, "Contoso Ltd");
        source.Rows["1000002"] = new MpnRow(Contoso, IsCurrent: true, IsActive: true, "Contoso Ltd");
        source.Rows["2000001"] = new MpnRow(Fabrikam, IsCurrent: true, IsActive: true, "Fabrikam Ltd");
        var options = new MpnDirectoryOptions { CacheCapacity = capacity, SnapshotCapacity = snapshotCapacity, MaxAge = maxAge ?? MpnDirectoryOptions.DefaultMaxAge };
        return (new MpnDirectory(source, options), source);
    }

    [Test]
    public async Task RefreshSnapshot_ShouldRecycleTheCopyTwoPassesOld_OnlyOnceNoReadOfItIsUnderWay()
    {
        var (directory, source) = NewDirectory();
        await directory.RefreshSnapshotAsync(default);
        var first = directory.Snapshot!;
        Assert.That(first.TryEnter(), Is.True, "a read of the copy in use");

        await directory.RefreshSnapshotAsync(default); // replaces the first copy, which refuses new reads from now on
        var second = directory.Snapshot!;
        Assert.That(first.TryEnter(), Is.False);
        await directory.RefreshSnapshotAsync(default); // the read of the first copy is still under way: not recycled
        first.Exit();
        await directory.RefreshSnapshotAsync(default); // the second copy, replaced and unread: recycled

        Assert.Multiple(() =>
        {
            Assert.That(source.Recycled, Is.EqualTo(new MpnSnapshot?[] { null, null, null, second }));
            Assert.That(second.TryEnter(), Is.False);
        });
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(source.Queries, Is.Zero, "answered from the latest copy");
    }

    [Test]
    public async Task RefreshSnapshot_WhenTheSourceHasNotChanged_ShouldRenewTheCopyInsteadOfReadingIt()
    {
        var (directory, source) = NewDirectory();
        await directory.RefreshSnapshotAsync(default);
        var copy = directory.Snapshot!;
        var takenAt = copy.TakenAt;
        await Task.Delay(20);

        source.Unchanged = true;
        await directory.RefreshSnapshotAsync(default);
        Assert.Multiple(() =>
        {
            Assert.That(source.Passes, Is.EqualTo(1), "no second read");
            Assert.That(directory.Snapshot, Is.SameAs(copy));
            Assert.That(copy.TakenAt, Is.GreaterThan(takenAt), "as fresh as the check");
        });

        source.Unchanged = false;
        await directory.RefreshSnapshotAsync(default);
        Assert.That(source.Passes, Is.EqualTo(2), "a change: read again");
        Assert.That(directory.Snapshot, Is.Not.SameAs(copy));
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

    [Test]
    public async Task FindPartnerName_FromTheCopy_ShouldAnswerKnownRetiredClosedAndUnknownIdsWithoutAQuery()
    {
        var (directory, source) = NewDirectory();
        source.Rows["3000001"] = new MpnRow(Fabrikam, IsCurrent: false, IsActive: true, "Fabrikam Ltd");
        source.Rows["4000001"] = new MpnRow(Guid.NewGuid(), IsCurrent: true, IsActive: false, "Closed Ltd");

        await directory.RefreshSnapshotAsync(default);

        Assert.That(directory.Snapshot?.Count, Is.EqualTo(5));
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(await directory.FindPartnerNameAsync("3000001", default), Is.Null, "a retired location ID");
        Assert.That(await directory.FindPartnerNameAsync("4000001", default), Is.Null, "a closed account's ID");
        Assert.That(await directory.FindPartnerNameAsync("9999999", default), Is.Null, "an unknown ID");
        Assert.That(await directory.FindPartnerNameAsync("01000001", default), Is.Null, "leading zeros make another ID");
        Assert.That(source.Queries, Is.Zero);
    }

    [Test]
    public async Task InvalidateMpnId_AfterTheCopy_ShouldQueryThatIdOnly()
    {
        var (directory, source) = NewDirectory();
        await directory.RefreshSnapshotAsync(default);
        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.Null);

        source.Rows["5000001"] = new MpnRow(Fabrikam, IsCurrent: true, IsActive: true, "Fabrikam Ltd");
        directory.InvalidateMpnId("5000001");

        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(source.Queries, Is.EqualTo(1), "the new ID only");
    }

    [Test]
    public async Task InvalidateAccounts_AfterTheCopy_ShouldQueryThatAccountsIdsOnly()
    {
        var (directory, source) = NewDirectory();
        await directory.RefreshSnapshotAsync(default);

        source.Rows["1000001"] = source.Rows["1000001"] with { PartnerName = "Contoso Renamed" };
        source.Rows["1000002"] = source.Rows["1000002"] with { IsActive = false };
        directory.InvalidateAccounts(new HashSet<Guid> { Contoso });

        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Renamed"));
        Assert.That(await directory.FindPartnerNameAsync("1000002", default), Is.Null);
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(source.Queries, Is.EqualTo(2), "the two Contoso IDs");
    }

    [Test]
    public async Task RefreshSnapshot_WhenAnIdIsInvalidatedDuringThePass_ShouldNotAnswerItFromThatCopy()
    {
        var (directory, source) = NewDirectory();
        source.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = directory.RefreshSnapshotAsync(default);

        // The pass has copied the rows: a change committed now is not in its copy.
        source.Rows["2000001"] = source.Rows["2000001"] with { PartnerName = "Fabrikam Renamed" };
        source.Rows["5000001"] = new MpnRow(Fabrikam, IsCurrent: true, IsActive: true, "Fabrikam Renamed");
        directory.InvalidateAccounts(new HashSet<Guid> { Fabrikam });
        directory.InvalidateMpnId("5000001");
        source.PassGate.SetResult();
        await pass;

        Assert.That(directory.Snapshot, Is.Not.Null);
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Renamed"));
        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.EqualTo("Fabrikam Renamed"));
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(source.Queries, Is.EqualTo(2));

        source.PassGate = null;
        await directory.RefreshSnapshotAsync(default);
        Assert.That(await directory.FindPartnerNameAsync("5000001", default), Is.EqualTo("Fabrikam Renamed"));
        Assert.That(source.Queries, Is.EqualTo(2), "a pass that began after the invalidations answers them");
    }

    [Test]
    public async Task Clear_DuringAPass_ShouldNotUseThatPassesCopy()
    {
        var (directory, source) = NewDirectory();
        source.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = directory.RefreshSnapshotAsync(default);

        directory.Clear();
        source.PassGate.SetResult();
        await pass;

        Assert.That(directory.Snapshot, Is.Null);
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(source.Queries, Is.EqualTo(1));
    }

    [Test]
    public async Task RefreshSnapshot_WithMoreIdsThanTheSnapshotCapacity_ShouldKeepNoCopy()
    {
        var (directory, source) = NewDirectory(snapshotCapacity: 2);

        await directory.RefreshSnapshotAsync(default);

        Assert.That(directory.Snapshot, Is.Null);
        Assert.That(source.Passes, Is.EqualTo(1));
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(source.Queries, Is.EqualTo(1));
    }

    [Test]
    public async Task RefreshSnapshot_WithSnapshotCapacityZero_ShouldNeverReadTheDirectory()
    {
        var (directory, source) = NewDirectory(snapshotCapacity: 0);

        await directory.RefreshSnapshotAsync(default);
        for (var i = 0; i < 2000; i++)
        {
            await directory.FindPartnerNameAsync("1000001", default);
        }

        Assert.That(source.Passes, Is.Zero);
        Assert.That(directory.Snapshot, Is.Null);
    }

    [Test]
    public async Task FindPartnerName_WhenInDemand_ShouldReadTheCopyByItself()
    {
        var (directory, source) = NewDirectory(capacity: 0);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (directory.Snapshot is null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        }

        Assert.That(directory.Snapshot, Is.Not.Null, "no pass after 10 s of lookups");
        Assert.That(source.Passes, Is.EqualTo(1));
        var queries = source.Queries;
        Assert.That(await directory.FindPartnerNameAsync("2000001", default), Is.EqualTo("Fabrikam Ltd"));
        Assert.That(source.Queries, Is.EqualTo(queries), "answered from the copy");
    }

    [Test]
    public async Task FindPartnerName_WhenTheCopyIsOlderThanTheMaximumAge_ShouldQueryAgain()
    {
        var (directory, source) = NewDirectory(capacity: 0, maxAge: TimeSpan.FromMilliseconds(1500));
        await directory.RefreshSnapshotAsync(default);
        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Contoso Ltd"));
        Assert.That(source.Queries, Is.Zero);

        await Task.Delay(1700);
        source.Rows["1000001"] = source.Rows["1000001"] with { PartnerName = "Changed Outside Ltd" };

        Assert.That(await directory.FindPartnerNameAsync("1000001", default), Is.EqualTo("Changed Outside Ltd"));
        Assert.That(source.Queries, Is.EqualTo(1));
    }
}
