using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>
/// Every stored row of one account, read straight from the database through the EF model: the account, every entity with an
/// <c>AccountId</c> (so tables added later are included without anyone remembering), and the users who are its members. Two
/// snapshots are equal when nothing of the account changed, including what no endpoint shows (password hashes, lockout counters,
/// audit records, hidden columns).
/// </summary>
public static class StoredData
{
    private static readonly MethodInfo RowsOfMethod = typeof(StoredData).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>One line per stored row ("Type {json}"), sorted.</summary>
    public static async Task<IReadOnlyList<string>> SnapshotAsync(WebApplicationFactory<Program> factory, Guid accountId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var memberIds = await db.AccountMembers.AsNoTracking().Where(m => m.AccountId == accountId).Select(m => m.UserId).ToListAsync();

        var lines = new List<string>();
        foreach (var entityType in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && !t.HasSharedClrType).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var rows = (Task<List<string>>)RowsOfMethod.MakeGenericMethod(entityType.ClrType).Invoke(null, [db, accountId, memberIds])!;
            lines.AddRange(await rows);
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Null when equal, else the rows that disappeared and appeared.</summary>
    public static string? Difference(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var removed = before.Except(after, StringComparer.Ordinal).ToList();
        var added = after.Except(before, StringComparer.Ordinal).ToList();
        return removed.Count == 0 && added.Count == 0 && before.Count == after.Count
            ? null
            : "\n" + string.Join("\n", removed.Select(r => "- " + Shorten(r)).Concat(added.Select(r => "+ " + Shorten(r))).Take(40));
    }

    private static string Shorten(string line) => line.Length <= 400 ? line : line[..400] + "…";

    private static async Task<List<string>> RowsOfAsync<T>(AppDbContext db, Guid accountId, List<Guid> memberIds)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T))!;
        IQueryable<T> rows = db.Set<T>();
        if (typeof(T) == typeof(Account))
        {
            rows = rows.Where(e => EF.Property<Guid>(e, "Id") == accountId);
        }
        else if (typeof(T) == typeof(User))
        {
            rows = rows.Where(e => memberIds.Contains(EF.Property<Guid>(e, "Id")));
        }
        else if (entityType.FindProperty("AccountId") is { } property && property.ClrType == typeof(Guid))
        {
            rows = rows.Where(e => EF.Property<Guid>(e, "AccountId") == accountId);
        }
        else if (entityType.FindProperty("AccountId") is { } nullable && nullable.ClrType == typeof(Guid?))
        {
            rows = rows.Where(e => EF.Property<Guid?>(e, "AccountId") == accountId);
        }
        else
        {
            return [];
        }

        // Tracked, so shadow properties (concurrency tokens and the like) can be read too; a fresh scope per snapshot.
        var result = new List<string>();
        foreach (var row in await rows.ToListAsync())
        {
            var entry = db.Entry(row);
            var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in entry.Properties)
            {
                values[property.Metadata.Name] = property.CurrentValue;
            }

            foreach (var complex in entry.ComplexProperties)
            {
                values[complex.Metadata.Name] = complex.CurrentValue;
            }

            result.Add($"{typeof(T).Name} {JsonSerializer.Serialize(values, JsonOptions)}");
        }

        return result;
    }
}
