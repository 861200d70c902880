// Package e2e holds end-to-end tests over the real data in ../shared/data:
// every source a user can bring, merged in every order. The tests skip
// when the data is absent. It has no code of its own.
package e2e
