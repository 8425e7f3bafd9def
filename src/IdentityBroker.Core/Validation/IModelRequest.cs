using FluentValidation;

namespace IdentityBroker.Validation;

/// <summary>
/// A request shape of an AWS service model that carries its own model validator, so the operation table finds a
/// request's validator at compile time: a request type without one does not build.
/// </summary>
public interface IModelRequest<TSelf>
    where TSelf : class, IModelRequest<TSelf>
{
    /// <summary>The validator of the model constraints on this shape (stateless, shared by every request).</summary>
    static abstract IValidator<TSelf> Validator { get; }
}
