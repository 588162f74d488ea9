namespace PartnerAccounts.Domain.Common;

/// <summary>What kind of expected failure an <see cref="Error"/> is; the API maps each kind to one HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    BusinessRule,
    TooManyRequests,
}

/// <summary>An expected failure: a stable machine-readable <paramref name="Code"/> plus a human message.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message)
{
    public IReadOnlyDictionary<string, string[]>? FieldErrors { get; init; }

    /// <summary>Further machine-readable members of the problem (for example the ids of missing prerequisites).</summary>
    public IReadOnlyDictionary<string, object>? Extensions { get; init; }

    /// <summary>For a <see cref="ErrorKind.TooManyRequests"/> failure: how long until a retry can succeed (the <c>Retry-After</c> header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Error Validation(string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null) =>
        new(ErrorKind.Validation, code, message) { FieldErrors = fieldErrors };

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static Error Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error BusinessRule(string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null) =>
        new(ErrorKind.BusinessRule, code, message) { FieldErrors = fieldErrors };
}

/// <summary>The outcome of a use case or a domain operation: a value, or an expected <see cref="Common.Error"/>.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public bool IsSuccess => Error is null;

    public Error? Error { get; }

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException("A failed result has no value.");

    public static Result<T> Success(T value) => new(value);

    public static Result<T> Failure(Error error) => new(error);

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Error error) => new(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(Value) : Error!;
}

/// <summary>The value of a successful operation that returns nothing.</summary>
public readonly record struct Success
{
    public static Success Value => default;
}
