// ZL-TEST-ASSET
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");
console.log("zhiliang test asset");

