using System.Collections.Concurrent;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// A thread-safe cache holding at most <c>capacity</c> entries, keeping the recently used ones: entries live in a current and
/// a previous generation of half the capacity each; when the current one is full it becomes the previous one (dropping the
/// old previous one wholesale), and a hit in the previous generation moves the entry back to the current one. Reads are
/// lock-free dictionary lookups, and there is no per-entry bookkeeping (no timestamps, no linked lists).
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
    private ConcurrentDictionary<TKey, TValue> _current;
    private ConcurrentDictionary<TKey, TValue> _previous;
    private int _currentCount;
    private long _generation;

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _generationSize = capacity / 2;
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

    public bool TryGet(TKey key, out TValue value)
    {
        var current = Volatile.Read(ref _current);
        if (current.TryGetValue(key, out value!))
        {
            return true;
        }

        var generation = Generation;
        if (Volatile.Read(ref _previous).TryGetValue(key, out value!))
        {
            Set(key, value, generation);
            return true;
        }

        return false;
    }

    /// <summary>Caches <paramref name="value"/> unless an invalidation happened since <paramref name="observedGeneration"/> was read.</summary>
    public void Set(TKey key, TValue value, long observedGeneration)
    {
        if (!Enabled)
        {
            return;
        }

        var current = Volatile.Read(ref _current);
        if (current.TryAdd(key, value))
        {
            if (Interlocked.Increment(ref _currentCount) >= _generationSize)
            {
                Rotate(current);
            }
        }
        else
        {
            current[key] = value;
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
        foreach (var generation in (ConcurrentDictionary<TKey, TValue>[])[Volatile.Read(ref _current), Volatile.Read(ref _previous)])
        {
            foreach (var entry in generation)
            {
                if (matches(entry.Value))
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

    private void Rotate(ConcurrentDictionary<TKey, TValue> full)
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

    private ConcurrentDictionary<TKey, TValue> NewGeneration() =>
        new(Environment.ProcessorCount, Math.Min(_generationSize, 1 << 16), _comparer ?? EqualityComparer<TKey>.Default);
}
