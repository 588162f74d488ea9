using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using PartnerAccounts.Application.Auth;
using PartnerAccounts.Application.Auth.Reauthorize;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Infrastructure.Idempotency;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first successful response is stored (24 hours) and a retry with the same key and
/// the same request gets it again (<c>Idempotent-Replayed: true</c>) without the use case running twice, also when the two
/// requests race: the key is claimed in the database before the request runs and the second one waits for the first.
/// The same key with another request is 422 <c>idempotency_key_reused</c>. A request that does not succeed gives the key
/// back, so fixing the request and retrying with the same key works.
/// A replay is authorized again like a new request (the account and permission the first one passed, through the same
/// AuthorizationBehaviour; for local sign-ins the token's credential must still be current). The stored body is encrypted for
/// the caller; a secret it carries (API key, temporary password, webhook signing secret) is repeated only while still valid, else the replay answers
/// without the secret's property and with <c>Idempotent-Secret-Withheld: true</c>.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string SecretWithheldHeader = "Idempotent-Secret-Withheld";
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task InvokeAsync(HttpContext context, ICurrentUser user, IMediator mediator)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(Header, out var values) ||
            !user.IsAuthenticated || user.Email is null)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > IdempotencyRecord.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status400BadRequest, "invalid_idempotency_key",
                $"{Header} must be 1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters without spaces."));
            return;
        }

        var caller = Callers.KeyOf(user);
        var hash = await HashAsync(context.Request);
        var waitUntil = DateTime.UtcNow + WaitForFirst;
        while (true)
        {
            var (outcome, existing) = await store.ClaimAsync(caller, key, hash, context.RequestAborted);
            if (outcome == IdempotencyStore.ClaimOutcome.Claimed)
            {
                break;
            }

            if (existing is not null && existing.RequestHash != hash)
            {
                await Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                    $"This {Header} was already used with a different request; use a new key for a new request."));
                return;
            }

            if (existing?.CompletedAt is not null)
            {
                await ReplayAsync(context, existing, mediator);
                return;
            }

            if (DateTime.UtcNow > waitUntil)
            {
                context.Response.Headers.RetryAfter = "1";
                await Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status409Conflict, "idempotency_request_in_progress",
                    $"A request with this {Header} is still being processed; retry shortly."));
                return;
            }

            await Task.Delay(PollInterval, context.RequestAborted);
        }

        await RunAndRememberAsync(context, caller, key);
    }

    private async Task RunAndRememberAsync(HttpContext context, string caller, string key)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var succeeded = false;
        try
        {
            await next(context);
            succeeded = context.Response.StatusCode is >= 200 and < 300;
        }
        finally
        {
            context.Response.Body = original;
            try
            {
                if (succeeded)
                {
                    var authorized = context.RequestServices.GetRequiredService<AccountAccess>().Authorized;
                    await store.CompleteAsync(caller, key, new StoredResponse(
                        context.Response.StatusCode,
                        context.Response.ContentType,
                        context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                        context.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                        buffer.ToArray(),
                        authorized?.AccountId,
                        authorized is null ? null : (authorized.OperatorOnly ? OperatorPrefix : string.Empty) + authorized.Permission,
                        context.RequestServices.GetRequiredService<IssuedSecrets>().Current));
                }
                else
                {
                    await store.ReleaseAsync(caller, key);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change itself is committed; only the replay copy is lost, and the claim expires as abandoned.
                logger.LogWarning(ex, "Storing the idempotent response failed");
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private const string OperatorPrefix = "operator:";

    private async Task ReplayAsync(HttpContext context, IdempotencyRecord record, IMediator mediator)
    {
        var authorized = await ReauthorizeAsync(record, mediator, context.RequestAborted);
        if (!authorized.IsSuccess)
        {
            await Problems.WriteAsync(context, authorized.Error!);
            return;
        }

        var body = store.BodyOf(record);
        if (body is not null && record.SecretKind is not null && !await store.SecretStillValidAsync(record, context.RequestAborted))
        {
            body = WithoutSecret(body, record.SecretKind);
            context.Response.Headers[SecretWithheldHeader] = "true";
        }

        context.Response.StatusCode = record.StatusCode;
        context.Response.Headers[ReplayedHeader] = "true";
        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        if (record.ETag is not null)
        {
            context.Response.Headers.ETag = record.ETag;
        }

        if (record.ContentType is not null)
        {
            context.Response.ContentType = record.ContentType;
        }

        if (body is { Length: > 0 })
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static async Task<Result<Success>> ReauthorizeAsync(IdempotencyRecord record, IMediator mediator, CancellationToken cancellationToken)
    {
        if (record is { AccountId: { } accountId, Permission: { } stored })
        {
            var operatorOnly = stored.StartsWith(OperatorPrefix, StringComparison.Ordinal);
            var permission = Enum.Parse<Permission>(operatorOnly ? stored[OperatorPrefix.Length..] : stored);
            return operatorOnly
                ? await mediator.Send(new ReauthorizeOperatorRequest(accountId, permission), cancellationToken)
                : await mediator.Send(new ReauthorizeAccountRequest(accountId, permission), cancellationToken);
        }

        return await mediator.Send(new ReauthorizeCaller(), cancellationToken);
    }

    /// <summary>The body without the property that carries the secret: <c>secret</c> of an API key or a webhook, <c>temporaryPassword</c> of an invitation or reset.</summary>
    private static byte[] WithoutSecret(byte[] body, string kind)
    {
        if (JsonNode.Parse(body) is not JsonObject json)
        {
            return [];
        }

        json.Remove(kind == nameof(SecretKind.TemporaryPassword) ? "temporaryPassword" : "secret");
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>What makes two requests "the same": method, path, query and body bytes.</summary>
    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
