using System.Collections.Concurrent;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// A thread-safe cache holding at most <c>capacity</c> entries, keeping the recently used ones: entries live in a current and
/// a previous generation of half the capacity each; when the current one is full it becomes the previous one (dropping the
/// old previous one wholesale), and a hit in the previous generation moves the entry back to the current one. Reads are
/// lock-free dictionary lookups, with no per-entry bookkeeping beyond the moment the entry stops being fresh (no linked lists).
/// <para>
/// Maximum age: an entry is served for at most <c>maxAge</c> after it was stored, then it is a miss and is loaded again, so a
/// change nobody announced (an operator's SQL, a restore) is seen within that time. An expired entry stays readable through
/// <see cref="TryGetStale"/> until it is replaced: a loader may answer it when the source is unavailable.
/// </para>
/// <para>
/// Consistency with the database: a loader reads <see cref="Generation"/> before it queries and hands it to <see cref="Set"/>;
/// every invalidation bumps the generation first, so a value read before an invalidation is never left in the cache after it.
/// </para>
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _generationSize;
    private readonly IEqualityComparer<TKey>? _comparer;
    private readonly Lock _rotation = new();
    private readonly long _maxAgeMilliseconds;
    private ConcurrentDictionary<TKey, Stamped> _current;
    private ConcurrentDictionary<TKey, Stamped> _previous;
    private int _currentCount;
    private long _generation;

    /// <param name="capacity">at most this many entries (below 2: nothing is cached)</param>
    /// <param name="maxAge">how long an entry is served after it was stored (default: without limit)</param>
    /// <param name="comparer">how keys compare</param>
    public BoundedCache(int capacity, TimeSpan? maxAge = null, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (maxAge is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(age, TimeSpan.Zero, nameof(maxAge));
        }

        _generationSize = capacity / 2;
        _maxAgeMilliseconds = maxAge is { } limit ? (long)Math.Ceiling(limit.TotalMilliseconds) : long.MaxValue / 4;
        _comparer = comparer;
        _current = NewGeneration();
        _previous = NewGeneration();
    }

    /// <summary>False when the capacity is below 2: nothing is ever cached (every lookup goes to the source).</summary>
    public bool Enabled => _generationSize > 0;

    /// <summary>The number of entries now held (for diagnostics and tests; not cheap).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>Moves with every invalidation; read it before loading a value from the source.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>A fresh entry (stored less than the maximum age ago).</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        var now = Environment.TickCount64;
        if (Volatile.Read(ref _current).TryGetValue(key, out var stamped))
        {
            value = stamped.Value;
            return now < stamped.FreshUntil;
        }

        var generation = Generation;
        if (Volatile.Read(ref _previous).TryGetValue(key, out stamped) && now < stamped.FreshUntil)
        {
            Store(key, stamped, generation);
            value = stamped.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>An entry whatever its age (for answering when the source cannot be reached).</summary>
    public bool TryGetStale(TKey key, out TValue value)
    {
        if (Volatile.Read(ref _current).TryGetValue(key, out var stamped) || Volatile.Read(ref _previous).TryGetValue(key, out stamped))
        {
            value = stamped.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Caches <paramref name="value"/> unless an invalidation happened since <paramref name="observedGeneration"/> was read.</summary>
    public void Set(TKey key, TValue value, long observedGeneration) =>
        Store(key, new Stamped(value, Environment.TickCount64 + _maxAgeMilliseconds), observedGeneration);

    private void Store(TKey key, Stamped stamped, long observedGeneration)
    {
        if (!Enabled)
        {
            return;
        }

        var current = Volatile.Read(ref _current);
        if (current.TryAdd(key, stamped))
        {
            if (Interlocked.Increment(ref _currentCount) >= _generationSize)
            {
                Rotate(current);
            }
        }
        else
        {
            current[key] = stamped;
        }

        // The write above and this read must not be reordered: an invalidation that ran meanwhile either removed the entry
        // after it was written, or is seen here and the entry is taken back.
        Interlocked.MemoryBarrier();
        if (Generation != observedGeneration)
        {
            current.TryRemove(key, out _);
        }
    }

    public void Remove(TKey key)
    {
        Interlocked.Increment(ref _generation);
        Volatile.Read(ref _current).TryRemove(key, out _);
        Volatile.Read(ref _previous).TryRemove(key, out _);
    }

    /// <summary>
    /// Removes every entry whose value matches: a scan of the whole cache (a few milliseconds for a few hundred thousand
    /// entries), for invalidations that are rare next to lookups.
    /// </summary>
    public void RemoveWhere(Func<TValue, bool> matches)
    {
        Interlocked.Increment(ref _generation);
        foreach (var generation in (ConcurrentDictionary<TKey, Stamped>[])[Volatile.Read(ref _current), Volatile.Read(ref _previous)])
        {
            foreach (var entry in generation)
            {
                if (matches(entry.Value.Value))
                {
                    generation.TryRemove(entry);
                }
            }
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        lock (_rotation)
        {
            Volatile.Write(ref _previous, NewGeneration());
            Volatile.Write(ref _current, NewGeneration());
            _currentCount = 0;
        }
    }

    private void Rotate(ConcurrentDictionary<TKey, Stamped> full)
    {
        lock (_rotation)
        {
            if (!ReferenceEquals(_current, full))
            {
                return;
            }

            Volatile.Write(ref _previous, full);
            Volatile.Write(ref _current, NewGeneration());
            _currentCount = 0;
        }
    }

    private ConcurrentDictionary<TKey, Stamped> NewGeneration() =>
        new(Environment.ProcessorCount, Math.Min(_generationSize, 1 << 16), _comparer ?? EqualityComparer<TKey>.Default);

    /// <summary>A value and the <see cref="Environment.TickCount64"/> until which it is served.</summary>
    private readonly record struct Stamped(TValue Value, long FreshUntil);
}
