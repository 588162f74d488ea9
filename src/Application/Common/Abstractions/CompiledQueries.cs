using Microsoft.EntityFrameworkCore;

namespace PartnerAccounts.Application.Common.Abstractions;

/// <summary>The unit of work as EF Core's context, for compiled queries (<see cref="EF.CompileAsyncQuery{TContext, TResult}(System.Linq.Expressions.Expression{Func{TContext, TResult}})"/> takes the context itself).</summary>
internal static class CompiledQueries
{
    /// <summary>Every <see cref="IAppDbContext"/> is an EF Core context (Infrastructure's <c>AppDbContext</c>).</summary>
    public static DbContext Context(this IAppDbContext db) => (DbContext)db;
}
