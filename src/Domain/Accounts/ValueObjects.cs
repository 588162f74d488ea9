namespace PartnerAccounts.Domain.Accounts;

public sealed record Address(string AddressLine1, string? AddressLine2, string City, string? State, string PostalCode, string Country);

public sealed record Contact(string FirstName, string LastName, string Email, string? PhoneNumber);
