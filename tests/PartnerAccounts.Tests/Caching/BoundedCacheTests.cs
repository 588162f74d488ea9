using PartnerAccounts.Infrastructure.Caching;

namespace PartnerAccounts.Tests.Caching;

public sealed class BoundedCacheTests
{
    [Test]
    public void Set_BeyondTheCapacity_ShouldNeverHoldMoreThanIt()
    {
        var cache = new BoundedCache<int, string>(capacity: 100);

        for (var i = 0; i < 10_000; i++)
        {
            cache.Set(i, "v", cache.Generation);
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(100).And.GreaterThan(0));
        Assert.That(cache.TryGet(9_999, out _), Is.True, "the newest entry stays");
        Assert.That(cache.TryGet(0, out _), Is.False, "the oldest entry is gone");
    }

    [Test]
    public void TryGet_ForAnEntryInUse_ShouldKeepItAcrossGenerations()
    {
        var cache = new BoundedCache<int, string>(capacity: 10);
        cache.Set(-1, "hot", cache.Generation);

        for (var i = 0; i < 1_000; i++)
        {
            Assert.That(cache.TryGet(-1, out var value) && value == "hot", Is.True, $"lost after {i} other entries");
            cache.Set(i, "cold", cache.Generation);
        }
    }

    [Test]
    public void Set_WhenAnInvalidationHappenedSinceTheLoadBegan_ShouldNotKeepTheValue()
    {
        var cache = new BoundedCache<string, string>(capacity: 10);
        var generation = cache.Generation;

        cache.Remove("1234567");
        cache.Set("1234567", "read before the change", generation);

        Assert.That(cache.TryGet("1234567", out _), Is.False);
    }

    [Test]
    public void Remove_ForACachedEntry_ShouldForgetIt()
    {
        var cache = new BoundedCache<string, string>(capacity: 10);
        cache.Set("a", "old", cache.Generation);

        cache.Remove("a");

        Assert.That(cache.TryGet("a", out _), Is.False);
    }

    [Test]
    public void Clear_Always_ShouldForgetEverything()
    {
        var cache = new BoundedCache<int, int>(capacity: 10);
        cache.Set(1, 1, cache.Generation);
        cache.Set(2, 2, cache.Generation);

        cache.Clear();

        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void Set_WithCapacityZero_ShouldCacheNothing()
    {
        var cache = new BoundedCache<int, int>(capacity: 0);

        cache.Set(1, 1, cache.Generation);

        Assert.That(cache.Enabled, Is.False);
        Assert.That(cache.TryGet(1, out _), Is.False);
    }
}

public sealed class BoundedCacheMaxAgeTests
{
    [Test]
    public void TryGet_WhenTheEntryIsOlderThanTheMaximumAge_ShouldMissButKeepItAsStale()
    {
        var cache = new BoundedCache<int, string>(capacity: 10, maxAge: TimeSpan.FromMilliseconds(50));
        cache.Set(1, "old", cache.Generation);
        Assert.That(cache.TryGet(1, out _), Is.True, "fresh at first");

        Thread.Sleep(120);

        Assert.That(cache.TryGet(1, out _), Is.False, "a miss once older than the maximum age");
        Assert.That(cache.TryGetStale(1, out var stale) && stale == "old", Is.True, "still there for an outage");
        cache.Set(1, "new", cache.Generation);
        Assert.That(cache.TryGet(1, out var fresh) && fresh == "new", Is.True, "a reload is fresh again");
    }
}
