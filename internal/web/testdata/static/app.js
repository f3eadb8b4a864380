document.getElementById("js").textContent = "脚本已运行";
